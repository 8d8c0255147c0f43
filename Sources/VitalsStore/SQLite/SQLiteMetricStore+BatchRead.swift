import Foundation
import GRDB
import GRDBSQLite
import Synchronization
public import VitalsCore
public import VitalsRules

extension SQLiteMetricStore: MetricWindowReader {
    /// The raw samples of several series in `period`: one query per metric name (joining `series` to `samples`) in one read
    /// transaction, instead of two queries per series.
    public func samples(of keys: [SeriesKey], in period: Period) throws -> [[SamplePoint]] {
        let names = Set(keys.map(\.name)).sorted()
        let read = try series(in: names.map { MetricWindow(name: $0, period: period) })
        var found: [SeriesKey: [SamplePoint]] = [:]
        for (key, points) in read.joined() { found[key] = points }
        return keys.map { found[$0] ?? [] }
    }

    /// The alert evaluation round reads every metric its rules select this way: one query per window, the windows split
    /// into contiguous runs read side by side on the pool's reader connections, one run per processor (a round reads
    /// thousands of windows, and each connection waits on its own B-tree pages). Each run is one read transaction; a
    /// write committed while they run may be seen by some runs and not others, as it would be by rules evaluated one after
    /// another. Rows come in index order (labels, then time), so SQLite sorts nothing; they are read through SQLite's C API
    /// (GRDB's rows box every value, which costs more than the query), and a series' labels are parsed the first time the
    /// store reads that series only.
    public func series(in windows: [MetricWindow]) throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        let known = seriesKeys.withLock { $0 }
        // A window is a few dozen rows: a second connection pays for itself from about 64 windows on. Up to 4 readers, one
        // per processor; an in-memory store has one connection.
        let readers = writer is DatabasePool ? min(4, ProcessInfo.processInfo.activeProcessorCount) : 1
        let runs = try ParallelRuns.map(count: windows.count, minimumLength: 64, maximum: readers) { run in
            try read(windows[run], known: known)
        }
        var learnt: [Int64: SeriesKey] = [:]
        for run in runs { learnt.merge(run.learnt) { _, new in new } }
        if !learnt.isEmpty { seriesKeys.withLock { $0.merge(learnt) { _, new in new } } }
        return runs.flatMap(\.series)
    }

    /// One run of ``series(in:)``: its windows read in one read transaction, and the series keys it parsed on the way.
    private func read(
        _ windows: ArraySlice<MetricWindow>, known: [Int64: SeriesKey]
    ) throws -> (series: [[(key: SeriesKey, points: [SamplePoint])]], learnt: [Int64: SeriesKey]) {
        var known = known
        var learnt: [Int64: SeriesKey] = [:]
        let series = try writer.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT series.id, series.labels, samples.ts, samples.value FROM series JOIN samples ON samples.series_id = series.id
                    WHERE series.name = ? AND samples.ts >= ? AND samples.ts < ? ORDER BY series.labels, samples.ts
                    """)
            let handle = statement.sqliteStatement
            return try windows.map { window in
                try statement.setArguments([window.name, window.period.from.milliseconds, window.period.to.milliseconds])
                defer { sqlite3_reset(handle) }
                var found: [(key: SeriesKey, points: [SamplePoint])] = []
                var seriesID: Int64?
                var code = sqlite3_step(handle)
                while code == SQLITE_ROW {
                    let id = sqlite3_column_int64(handle, 0)
                    if id != seriesID {
                        seriesID = id
                        if let key = known[id] {
                            found.append((key, []))
                        } else {
                            let text = String(cString: sqlite3_column_text(handle, 1))
                            guard let labels = Labels(canonical: text) else {
                                throw StoreError.corruptRow(file, "series \(window.name) has labels '\(text)' that are not in canonical form")
                            }
                            let key = SeriesKey(window.name, labels)
                            known[id] = key
                            learnt[id] = key
                            found.append((key, []))
                        }
                    }
                    found[found.count - 1].points.append(
                        SamplePoint(Timestamp(milliseconds: sqlite3_column_int64(handle, 2)), sqlite3_column_double(handle, 3)))
                    code = sqlite3_step(handle)
                }
                guard code == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                }
                return found
            }
        }
        return (series, learnt)
    }
}
