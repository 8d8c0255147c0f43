public import VitalsCore

/// A querier over series held in memory (rule unit tests, `rules test` input series), indexed by metric name.
public struct InMemorySeriesQuerier: SeriesQuerier {
    private let byName: [String: [QueriedSeries]]
    private let all: [QueriedSeries]

    /// `series` must have their points sorted oldest first.
    public init(_ series: [QueriedSeries]) {
        all = series
        byName = Dictionary(grouping: series) { $0.labels["__name__"] ?? "" }
    }

    public func select(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        let named = matchers.first { $0.name == "__name__" && $0.kind == .equal }
        let candidates = named.map { byName[$0.value] ?? [] } ?? all
        // Whole point arrays are returned (sharing storage, no copy): the evaluator narrows them to its window.
        return candidates.filter { series in
            matchers.allSatisfy { $0.matches(series.labels) }
                && !series.points[series.points.window(from: from.milliseconds, through: through.milliseconds)].isEmpty
        }
    }
}

extension Array where Element == SamplePoint {
    /// The index range of the points with timestamps in `[from, through]`, found by binary search.
    func window(from: Int64, through: Int64) -> Range<Int> {
        let lower = firstIndex(atOrAfter: from)
        let upper = firstIndex(atOrAfter: through == .max ? through : through + 1)
        return lower..<Swift.max(lower, upper)
    }

    /// The index of the first point at or after `milliseconds`, or `count`.
    func firstIndex(atOrAfter milliseconds: Int64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].timestamp.milliseconds < milliseconds { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
