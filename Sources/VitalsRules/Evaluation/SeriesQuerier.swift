public import VitalsCore

/// Where the evaluator reads series from: the store in production, an ``InMemorySeriesQuerier`` in rule tests.
public protocol SeriesQuerier: Sendable {
    /// The series that satisfy every matcher, each with its points whose timestamps lie in `[from, through]`, oldest first.
    ///
    /// Returning more points than asked for is allowed (the evaluator narrows windows by binary search); fewer is not.
    func select(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries]

    /// As ``select(_:from:through:)`` for an instant selector, which takes only each series' newest point in
    /// `[from, through]`: a series may come with just that point there.
    func selectNewest(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries]
}

extension SeriesQuerier {
    /// Every point, as ``select(_:from:through:)`` gives them.
    public func selectNewest(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        select(matchers, from: from, through: through)
    }
}

/// One series as a querier returns it.
public struct QueriedSeries: Sendable, Equatable {
    /// The full label set, with the metric name under `__name__`.
    public var labels: Labels
    /// The points, oldest first; a value may be ``StaleMarker/value``.
    public var points: [SamplePoint]

    public init(labels: Labels, points: [SamplePoint]) {
        self.labels = labels
        self.points = points
    }
}

/// Prometheus' staleness marker: a NaN with a particular bit pattern, written when a series disappears.
///
/// An instant selector ignores a series whose newest point in the lookback window is this marker; range selectors skip it.
/// Ordinary NaN values (`0/0`) are data and stay visible.
public enum StaleMarker {
    /// The marker value (bit pattern `0x7ff0000000000002`, as in Prometheus' `value.StaleNaN`).
    public static let value = Double(bitPattern: 0x7ff0_0000_0000_0002)

    /// Whether `value` is the marker, as opposed to any other NaN.
    public static func isStale(_ value: Double) -> Bool { value.bitPattern == 0x7ff0_0000_0000_0002 }
}
