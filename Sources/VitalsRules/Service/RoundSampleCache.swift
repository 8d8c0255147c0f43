import Synchronization
import VitalsCore
import VitalsPorts

/// The samples an alert round read, kept for the next round of the same ``AlertEvaluationRound`` (the daemon's): that one
/// asks the store only for what was written since (``MetricStore/samplesWritten(named:since:)``) and merges it in.
///
/// Per metric it keeps every series' points from the earliest start of the metric's windows on, with no end: a sample
/// written ahead of a window is already there when the window reaches it. A round drops the points that slid out of its
/// windows and those a retention removed, merges the written ones by timestamp (a written value replaces the kept one at
/// its time, so backfills and replaced values land where they belong), and reads a metric in full when the cache cannot
/// answer for it: the first round, a store without write history or another store, samples moved or removed since
/// (relabelled or merged series), or a window that now starts earlier than what was kept.
///
/// A round takes the cache out while it reads and puts it back when done, so a round that fails leaves nothing behind and
/// the next one reads in full; two rounds at once simply both read in full.
final class RoundSampleCache: Sendable {
    /// One metric's series, `__name__` among their labels as the evaluator receives them, in key order.
    struct Metric {
        var from: Int64
        var keys: [SeriesKey]
        var series: [QueriedSeries]
    }
    private struct Kept {
        var mark: SampleWriteMark
        var metrics: [String: Metric]
    }
    private let kept = Mutex<Kept?>(nil)
    /// The end of what is kept: none.
    static let end = Timestamp(milliseconds: .max)

    init() {}

    /// The series of each metric `windows` select, from the earliest start of its windows on; nil when `store` keeps no
    /// write history (the caller then reads the windows as they are, every round).
    func read(_ windows: [MetricWindow], from store: any MetricStore) async throws -> [String: Metric]? {
        var starts: [String: Int64] = [:]
        for window in windows { starts[window.name] = min(starts[window.name] ?? .max, window.period.from.milliseconds) }
        let previous = kept.withLock { kept in
            defer { kept = nil }
            return kept
        }
        guard let changes = try await store.samplesWritten(named: starts.keys.sorted(), since: previous?.mark) else { return nil }
        var metrics: [String: Metric] = [:]
        var unread: [String] = []
        if let written = changes.series, let previous {
            let writtenByName = Dictionary(grouping: written) { $0.key.name }
            for (name, start) in starts {
                guard var metric = previous.metrics[name], metric.from <= start else {
                    unread.append(name)
                    continue
                }
                metric.drop(before: max(start, changes.removedBefore?.milliseconds ?? .min))
                metric.from = start
                metric.merge(writtenByName[name] ?? [])
                metrics[name] = metric
            }
        } else {
            unread = Array(starts.keys)
        }
        if !unread.isEmpty {
            let fullWindows = unread.sorted().map { MetricWindow(name: $0, period: Period(from: Timestamp(milliseconds: starts[$0]!), to: Self.end)) }
            let read = try await store.series(in: fullWindows)
            for (window, series) in zip(fullWindows, read) {
                metrics[window.name] = Metric(
                    from: window.period.from.milliseconds, keys: series.map(\.key),
                    series: series.map { QueriedSeries(labels: $0.key.labels.setting("__name__", to: $0.key.name), points: $0.points) })
            }
        }
        kept.withLock { $0 = Kept(mark: changes.mark, metrics: metrics) }
        return metrics
    }
}

extension RoundSampleCache.Metric {
    /// Drops the points before `cutoff`, and the series left without any.
    mutating func drop(before cutoff: Int64) {
        var emptied = false
        for index in series.indices {
            let first = series[index].points.firstIndex(atOrAfter: cutoff)
            guard first > 0 else { continue }
            series[index].points.removeSubrange(0..<first)
            emptied = emptied || series[index].points.isEmpty
        }
        guard emptied else { return }
        let kept = series.indices.filter { !series[$0].points.isEmpty }
        keys = kept.map { keys[$0] }
        series = kept.map { series[$0] }
    }

    /// Merges written points in by timestamp, a written value replacing a kept one at the same time; a series not kept
    /// yet takes its place in key order.
    mutating func merge(_ written: [(key: SeriesKey, points: [SamplePoint])]) {
        guard !written.isEmpty else { return }
        var positions = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        var added = false
        for (key, points) in written where !points.isEmpty {
            guard let index = positions[key] else {
                positions[key] = keys.count
                keys.append(key)
                series.append(QueriedSeries(labels: key.labels.setting("__name__", to: key.name), points: points))
                added = true
                continue
            }
            series[index].points.merge(points)
        }
        guard added else { return }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        keys = order.map { keys[$0] }
        series = order.map { series[$0] }
    }
}

extension Array where Element == SamplePoint {
    /// Merges `written` (oldest first) into these points (oldest first), its value winning at a time both have.
    mutating func merge(_ written: [SamplePoint]) {
        guard let first = written.first else { return }
        if let last = self.last, last.timestamp < first.timestamp {
            append(contentsOf: written)
            return
        }
        var merged: [SamplePoint] = []
        merged.reserveCapacity(count + written.count)
        var kept = startIndex
        for point in written {
            while kept < endIndex, self[kept].timestamp < point.timestamp {
                merged.append(self[kept])
                kept += 1
            }
            if kept < endIndex, self[kept].timestamp == point.timestamp { kept += 1 }
            merged.append(point)
        }
        merged.append(contentsOf: self[kept...])
        self = merged
    }
}
