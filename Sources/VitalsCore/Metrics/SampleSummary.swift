/// What a bucket of samples of one series adds up to; summaries of adjacent buckets combine with `merging`.
public struct SampleSummary: Hashable, Sendable, Codable {
    public var count: Int
    public var sum: Double
    public var min: Double
    public var max: Double
    public var first: SamplePoint
    public var last: SamplePoint
    /// The counter increase inside the bucket: the sum of positive steps, a drop counting as a reset to zero.
    public var increase: Double

    public init(count: Int, sum: Double, min: Double, max: Double, first: SamplePoint, last: SamplePoint, increase: Double) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.first = first
        self.last = last
        self.increase = increase
    }

    /// The summary of this bucket followed by `later` (which must start after this one ends).
    public func merging(_ later: SampleSummary) -> SampleSummary {
        let step = later.first.value - last.value
        return SampleSummary(
            count: count + later.count, sum: sum + later.sum, min: Swift.min(min, later.min), max: Swift.max(max, later.max),
            first: first, last: later.last, increase: increase + later.increase + (step >= 0 ? step : later.first.value))
    }

    /// The value of a period for a series of `kind`: last value for gauges, sum for events, increase for counters.
    public func value(for kind: MetricKind) -> Double {
        switch kind {
        case .gauge: last.value
        case .event: sum
        case .counter: increase
        }
    }
}
