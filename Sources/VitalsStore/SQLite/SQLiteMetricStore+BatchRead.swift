import GRDB
import GRDBSQLite
import Synchronization
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore {
    /// The raw samples of several series in `period`: one query per metric name (joining `series` to `samples`) in one read
    /// transaction, instead of two queries per series.
    public func samples(of keys: [SeriesKey], in period: Period) async throws -> [[SamplePoint]] {
        let names = Set(keys.map(\.name)).sorted()
        let read = try await series(in: names.map { MetricWindow(name: $0, period: period) })
        var found: [SeriesKey: [SamplePoint]] = [:]
        for (key, points) in read.joined() { found[key] = points }
        return keys.map { found[$0] ?? [] }
    }

    /// The alert evaluation round reads every metric its rules select this way: one query per window, all in one read
    /// transaction. Rows come in index order (labels, then time), so SQLite sorts nothing (see ``gatherSeries(_:name:known:learnt:_:)``).
    ///
    /// One connection reads them all: splitting the windows over two reader connections (tried, measured on this project's
    /// 2-core machine) saved a tenth of the time at 60 % more processor time, since both spend it walking B-tree pages.
    public func series(in windows: [MetricWindow]) async throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        let cached = seriesKeys.withLock { $0 }
        let (read, learnt) = try await reading { db in
            var known = cached
            var learnt: [Int64: SeriesKey] = [:]
            let whole = try db.cachedStatement(
                sql: """
                    SELECT series.id, series.labels, samples.ts, samples.value FROM series JOIN samples ON samples.series_id = series.id
                    WHERE series.name = ?1 AND samples.ts >= ?2 AND samples.ts < ?3 ORDER BY series.labels, samples.ts
                    """)
            // Each series' newest sample in the period: one descent of the primary key per series (SQLite's max() optimisation).
            let newest = try db.cachedStatement(
                sql: """
                    SELECT series.id, series.labels, samples.ts, samples.value FROM series JOIN samples ON samples.series_id = series.id
                        AND samples.ts = (SELECT max(ts) FROM samples AS newest WHERE newest.series_id = series.id AND newest.ts >= ?2 AND newest.ts < ?3)
                    WHERE series.name = ?1 ORDER BY series.labels
                    """)
            let read = try windows.map { window in
                let statement = window.newestOnly ? newest : whole
                try statement.setArguments([window.name, window.period.from.milliseconds, window.period.to.milliseconds])
                return try gatherSeries(statement, name: window.name, known: &known, learnt: &learnt, db)
            }
            return (read, learnt)
        }
        if !learnt.isEmpty { seriesKeys.withLock { $0.merge(learnt) { _, new in new } } }
        return read
    }

    /// Steps through the rows of `statement` (series id, labels, time, value, then the metric name unless `name` gives it),
    /// which come grouped by series and oldest first, and gathers each series' points; resets the statement.
    ///
    /// Rows are read through SQLite's C API (GRDB's rows box every value, which costs more than the query), and a series'
    /// labels are parsed the first time the store reads that series only (`known`; the ones parsed here go to `learnt` too).
    func gatherSeries(
        _ statement: Statement, name: String?, known: inout [Int64: SeriesKey], learnt: inout [Int64: SeriesKey], _ db: Database
    ) throws -> [(key: SeriesKey, points: [SamplePoint])] {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var found: [(key: SeriesKey, points: [SamplePoint])] = []
        // The current series' points gather here and are moved out whole when the next series starts; each array
        // starts with the previous series' length reserved, since a metric's series mostly hold as many samples.
        var key: SeriesKey?
        var seriesID: Int64 = 0
        var points: [SamplePoint] = []
        var code = sqlite3_step(handle)
        while code == SQLITE_ROW {
            let id = sqlite3_column_int64(handle, 0)
            if key == nil || id != seriesID {
                if let key { found.append((key, points)) }
                points = []
                points.reserveCapacity(found.last?.points.count ?? 0)
                seriesID = id
                if let known = known[id] {
                    key = known
                } else {
                    let metric = name ?? String(cString: sqlite3_column_text(handle, 4))
                    let text = String(cString: sqlite3_column_text(handle, 1))
                    guard let labels = Labels(canonical: text) else {
                        throw StoreError.corruptRow(file, "series \(metric) has labels '\(text)' that are not in canonical form")
                    }
                    let parsed = SeriesKey(metric, labels)
                    known[id] = parsed
                    learnt[id] = parsed
                    key = parsed
                }
            }
            points.append(SamplePoint(Timestamp(milliseconds: sqlite3_column_int64(handle, 2)), sqlite3_column_double(handle, 3)))
            code = sqlite3_step(handle)
        }
        if let key { found.append((key, points)) }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return found
    }
}
