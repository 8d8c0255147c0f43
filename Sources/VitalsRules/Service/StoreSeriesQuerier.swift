import Synchronization
public import VitalsCore

/// A querier over the metric store, for one evaluation round.
///
/// The round first hands it the windows its rules will select (``prefetch(_:)``), read in one store call; a `select` inside
/// a prefetched window is then answered from memory, so a round costs one read rather than one per rule. A `select` outside
/// them (a selector without a metric name) lists the metric's series once per round and reads the windows of all matching
/// series in one store call. The store cannot fail inside `select` (the evaluator's seam does not throw), so the first
/// store error is kept and ``checkForErrors()`` rethrows it after the evaluation.
public final class StoreSeriesQuerier: SeriesQuerier {
    private let store: any MetricStore
    private struct Cache {
        var seriesByName: [String: [SeriesKey]] = [:]
        var allSeries: [SeriesKey]?
        var prefetched: [String: [Prefetched]] = [:]
        var error: (any Error)?
    }
    /// The series of a metric read ahead for a period, labels with `__name__`, as the evaluator receives them.
    private struct Prefetched {
        let period: Period
        let series: [QueriedSeries]
    }
    private let cache = Mutex(Cache())

    public init(store: any MetricStore) {
        self.store = store
    }

    /// Reads the series of `windows` (merged where they overlap) ahead of the selects that fall inside them.
    public func prefetch(_ windows: [MetricWindow]) throws {
        let merged = MetricWindow.merged(windows)
        let read = try (store as? any MetricWindowReader)?.series(in: merged) ?? merged.map(readSeries)
        cache.withLock { cache in
            for (window, series) in zip(merged, read) {
                let queried = series.map { QueriedSeries(labels: $0.key.labels.setting("__name__", to: $0.key.name), points: $0.points) }
                cache.prefetched[window.name, default: []].append(Prefetched(period: window.period, series: queried))
            }
        }
    }

    public func select(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        let named = matchers.first { $0.name == "__name__" && $0.kind == .equal }?.value
        if let named, let prefetched = prefetched(named, from: from, through: through) {
            // Whole point arrays are returned (sharing storage, no copy): the evaluator narrows them to its window.
            return prefetched.filter { series in
                matchers.allSatisfy { $0.matches(series.labels) }
                    && !series.points[series.points.window(from: from.milliseconds, through: through.milliseconds)].isEmpty
            }
        }
        do {
            let candidates = try keys(named: named).map { key in (key, key.labels.setting("__name__", to: key.name)) }
            let matching = candidates.filter { _, labels in matchers.allSatisfy { $0.matches(labels) } }
            let points = try store.samples(of: matching.map(\.0), in: Self.period(from: from, through: through))
            return zip(matching, points).map { QueriedSeries(labels: $0.1, points: $1) }
        } catch {
            cache.withLock { if $0.error == nil { $0.error = error } }
            return []
        }
    }

    /// Throws the first store error any `select` met.
    public func checkForErrors() throws {
        if let error = cache.withLock({ $0.error }) { throw error }
    }

    /// Periods are half-open; the querier's window includes `through`.
    static func period(from: Timestamp, through: Timestamp) -> Period {
        Period(from: from, to: Timestamp(milliseconds: through.milliseconds + 1))
    }

    private func prefetched(_ name: String, from: Timestamp, through: Timestamp) -> [QueriedSeries]? {
        cache.withLock { cache in
            cache.prefetched[name]?.first { $0.period.from <= from && through < $0.period.to }?.series
        }
    }

    private func readSeries(_ window: MetricWindow) throws -> [(key: SeriesKey, points: [SamplePoint])] {
        let keys = try keys(named: window.name)
        return zip(keys, try store.samples(of: keys, in: window.period)).filter { !$0.1.isEmpty }.map { (key: $0, points: $1) }
    }

    private func keys(named name: String?) throws -> [SeriesKey] {
        if let name {
            if let cached = cache.withLock({ $0.seriesByName[name] }) { return cached }
            let keys = try store.series(named: name).map(\.key)
            cache.withLock { $0.seriesByName[name] = keys }
            return keys
        }
        if let cached = cache.withLock({ $0.allSeries }) { return cached }
        let keys = try store.series(named: nil).map(\.key)
        cache.withLock { $0.allSeries = keys }
        return keys
    }
}
