import Synchronization
public import VitalsCore

/// A querier over the metric store, for one evaluation round.
///
/// It lists each metric's series once per round (rules of a group often select the same metric) and reads the windows
/// of all matching series in one store call. The store cannot fail inside `select` (the evaluator's seam does not
/// throw), so the first store error is kept and ``checkForErrors()`` rethrows it after the evaluation.
public final class StoreSeriesQuerier: SeriesQuerier {
    private let store: any MetricStore
    private struct Cache {
        var seriesByName: [String: [SeriesKey]] = [:]
        var allSeries: [SeriesKey]?
        var error: (any Error)?
    }
    private let cache = Mutex(Cache())

    public init(store: any MetricStore) {
        self.store = store
    }

    public func select(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        do {
            let named = matchers.first { $0.name == "__name__" && $0.kind == .equal }?.value
            let candidates = try keys(named: named).map { key in (key, key.labels.setting("__name__", to: key.name)) }
            let matching = candidates.filter { _, labels in matchers.allSatisfy { $0.matches(labels) } }
            // Periods are half-open; the querier's window includes `through`.
            let period = Period(from: from, to: Timestamp(milliseconds: through.milliseconds + 1))
            let points = try store.samples(of: matching.map(\.0), in: period)
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
