public import VitalsCore

/// The numbers of one report row: the period's value, the previous period's, the change and the daily values.
public struct RowValues: Sendable, Hashable {
    /// The period's value; nil when the series has no sample in the period.
    public let value: Double?
    public let previous: Double?
    /// One value per day of the period, nil for days without samples.
    public let daily: [Double?]

    public init(value: Double?, previous: Double?, daily: [Double?]) {
        self.value = value
        self.previous = previous
        self.daily = daily
    }

    /// The values of a series of `kind` from its per-day summaries in the current and the previous period.
    ///
    /// A period's value merges its days' summaries, so a counter's increase includes the steps between days.
    public init(kind: MetricKind, current: [SampleSummary?], previous: [SampleSummary?]) {
        self.init(
            value: RowValues.merged(current)?.value(for: kind), previous: RowValues.merged(previous)?.value(for: kind),
            daily: current.map { $0?.value(for: kind) })
    }

    /// `value - previous`, when both are known.
    public var change: Double? {
        guard let value, let previous else { return nil }
        return value - previous
    }

    /// The change relative to the previous value's magnitude, when that is known and not zero.
    public var changeRatio: Double? {
        guard let change, let previous, previous != 0 else { return nil }
        return change / abs(previous)
    }

    /// The newest sample time among the summaries, if any.
    public static func newestSample(in summaries: [SampleSummary?]) -> Timestamp? {
        summaries.compactMap { $0?.last.timestamp }.max()
    }

    private static func merged(_ summaries: [SampleSummary?]) -> SampleSummary? {
        summaries.compactMap { $0 }.reduce(nil) { total, next in total.map { $0.merging(next) } ?? next }
    }
}
