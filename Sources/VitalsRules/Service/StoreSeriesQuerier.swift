import Synchronization
public import VitalsCore
public import VitalsPorts

/// A querier over the metric store, for one evaluation round.
///
/// The round first hands it the windows its rules will select (``prefetch(_:)``), read in one store call; a `select` inside
/// a prefetched window is then answered from memory, so a round costs one read rather than one per rule.
///
/// The evaluator's seam is synchronous and the store's is not, so a `select` outside them (a selector without a metric
/// name) cannot read the store there and then: it answers nothing and notes the selection; ``readMissed()`` then reads
/// every noted selection (the metric's series listed once per round, the matching series' samples in one store call) and
/// the caller evaluates again, which finds them in memory. The evaluator is a pure function of what it selects, so the
/// first, incomplete evaluation is simply discarded.
public final class StoreSeriesQuerier: SeriesQuerier {
    private let store: any MetricStore
    private struct Cache {
        var seriesByName: [String: [SeriesKey]] = [:]
        var allSeries: [SeriesKey]?
        var prefetched: [String: [Prefetched]] = [:]
        /// Selections outside the prefetched windows, read by ``readMissed()``.
        var selected: [String: [QueriedSeries]] = [:]
        /// Selections asked for and not read yet, by the same key.
        var missed: [String: Selection] = [:]
    }
    /// The series of a metric read ahead for a period, labels with `__name__`, as the evaluator receives them: every
    /// sample, or each series' newest only (``MetricWindow/newestOnly``), which answers an instant selector of just that
    /// period and nothing else.
    private struct Prefetched {
        let period: Period
        let newestOnly: Bool
        let series: [QueriedSeries]
    }
    /// One `select` call's arguments.
    private struct Selection {
        let matchers: [LabelMatcher]
        let from: Timestamp
        let through: Timestamp

        var key: String { "\(matchers.map(\.description).joined(separator: ","))@\(from.milliseconds)-\(through.milliseconds)" }
    }
    private let cache = Mutex(Cache())

    public init(store: any MetricStore) {
        self.store = store
    }

    /// Reads the series of `windows` (merged where they overlap) ahead of the selects that fall inside them.
    public func prefetch(_ windows: [MetricWindow]) async throws {
        let merged = MetricWindow.merged(windows)
        let read = try await store.series(in: merged)
        cache.withLock { cache in
            for (window, series) in zip(merged, read) {
                let queried = series.map { QueriedSeries(labels: $0.key.labels.setting("__name__", to: $0.key.name), points: $0.points) }
                cache.prefetched[window.name, default: []].append(Prefetched(period: window.period, newestOnly: window.newestOnly, series: queried))
            }
        }
    }

    /// Reads the series of `windows` ahead through `kept`, which asks the store only for what was written since the round
    /// that last used it; as ``prefetch(_:)`` when the store keeps no write history.
    func prefetch(_ windows: [MetricWindow], keeping kept: RoundSampleCache) async throws {
        guard let metrics = try await kept.read(windows, from: store) else { return try await prefetch(windows) }
        cache.withLock { cache in
            for (name, metric) in metrics {
                let period = Period(from: Timestamp(milliseconds: metric.from), to: RoundSampleCache.end)
                cache.prefetched[name, default: []].append(Prefetched(period: period, newestOnly: false, series: metric.series))
            }
        }
    }

    public func select(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        let named = matchers.first { $0.name == "__name__" && $0.kind == .equal }?.value
        if let named, let prefetched = prefetched(named, from: from, through: through) {
            return Self.matching(prefetched, matchers, from: from, through: through)
        }
        let selection = Selection(matchers: matchers, from: from, through: through)
        let key = selection.key
        return cache.withLock { cache in
            if let selected = cache.selected[key] { return selected }
            cache.missed[key] = selection
            return []
        }
    }

    /// An instant selector's series: those of a window of only the newest samples read for exactly its period, else as
    /// ``select(_:from:through:)`` gives them.
    public func selectNewest(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        let period = Self.period(from: from, through: through)
        if let named = matchers.first(where: { $0.name == "__name__" && $0.kind == .equal })?.value,
            let newest = cache.withLock({ $0.prefetched[named]?.first { $0.newestOnly && $0.period == period }?.series })
        {
            return Self.matching(newest, matchers, from: from, through: through)
        }
        return select(matchers, from: from, through: through)
    }

    /// The series of `prefetched` that match and have points in `[from, through]`. Whole point arrays are returned
    /// (sharing storage, no copy): the evaluator narrows them to its window.
    private static func matching(_ prefetched: [QueriedSeries], _ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        prefetched.filter { series in
            matchers.allSatisfy { $0.matches(series.labels) }
                && !series.points[series.points.window(from: from.milliseconds, through: through.milliseconds)].isEmpty
        }
    }

    /// Reads what `select` was asked for outside the prefetched windows since the last call. Returns whether there was any:
    /// then an evaluation that asked for it is incomplete and is run again.
    public func readMissed() async throws -> Bool {
        let missed = cache.withLock { cache in
            defer { cache.missed = [:] }
            return cache.missed
        }
        for (key, selection) in missed {
            let read = try await read(selection)
            cache.withLock { $0.selected[key] = read }
        }
        return !missed.isEmpty
    }

    /// Periods are half-open; the querier's window includes `through`.
    static func period(from: Timestamp, through: Timestamp) -> Period {
        Period(from: from, to: Timestamp(milliseconds: through.milliseconds + 1))
    }

    private func prefetched(_ name: String, from: Timestamp, through: Timestamp) -> [QueriedSeries]? {
        cache.withLock { cache in
            cache.prefetched[name]?.first { !$0.newestOnly && $0.period.from <= from && through < $0.period.to }?.series
        }
    }

    private func read(_ selection: Selection) async throws -> [QueriedSeries] {
        let named = selection.matchers.first { $0.name == "__name__" && $0.kind == .equal }?.value
        let candidates = try await keys(named: named).map { key in (key, key.labels.setting("__name__", to: key.name)) }
        let matching = candidates.filter { _, labels in selection.matchers.allSatisfy { $0.matches(labels) } }
        let points = try await store.samples(of: matching.map(\.0), in: Self.period(from: selection.from, through: selection.through))
        return zip(matching, points).map { QueriedSeries(labels: $0.1, points: $1) }
    }

    private func keys(named name: String?) async throws -> [SeriesKey] {
        if let name {
            if let cached = cache.withLock({ $0.seriesByName[name] }) { return cached }
            let keys = try await store.series(named: name).map(\.key)
            cache.withLock { $0.seriesByName[name] = keys }
            return keys
        }
        if let cached = cache.withLock({ $0.allSeries }) { return cached }
        let keys = try await store.series(named: nil).map(\.key)
        cache.withLock { $0.allSeries = keys }
        return keys
    }
}
