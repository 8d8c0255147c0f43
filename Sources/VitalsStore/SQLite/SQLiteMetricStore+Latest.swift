import GRDB
import GRDBSQLite
import Synchronization
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore: LatestSampleReader {
    /// One query: each series' newest raw sample and newest hourly rollup are found by index (SQLite answers `MAX` over an
    /// index prefix with one seek), so the cost grows with the number of series, not of samples; the series come in the
    /// order of their `(name, labels)` index, which is key order, so nothing is sorted. Rows are read through
    /// SQLite's C API and a series' labels are parsed the first time the store reads that series only, as the alert
    /// rounds' reads do (`SQLiteMetricStore+BatchRead.swift`).
    public func latestSamples() async throws -> [(series: SeriesDescriptor, sample: SamplePoint)] {
        let cached = seriesKeys.withLock { $0 }
        let (latest, learnt) = try await reading { db in
            var known = cached
            var learnt: [Int64: SeriesKey] = [:]
            let statement = try db.cachedStatement(
                sql: """
                    SELECT series.id, series.name, series.labels, series.kind, series.unit, raw.ts, raw.value, hourly.last_ts, hourly.last
                    FROM series
                    LEFT JOIN samples AS raw ON raw.series_id = series.id
                        AND raw.ts = (SELECT MAX(ts) FROM samples WHERE series_id = series.id)
                    LEFT JOIN hourly_rollups AS hourly ON hourly.series_id = series.id
                        AND hourly.bucket_start = (SELECT MAX(bucket_start) FROM hourly_rollups WHERE series_id = series.id)
                    ORDER BY series.name, series.labels
                    """)
            let handle = statement.sqliteStatement
            defer { sqlite3_reset(handle) }
            var latest: [(series: SeriesDescriptor, sample: SamplePoint)] = []
            var code = sqlite3_step(handle)
            while code == SQLITE_ROW {
                func point(_ column: Int32) -> SamplePoint? {
                    guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
                    return SamplePoint(Timestamp(milliseconds: sqlite3_column_int64(handle, column)), sqlite3_column_double(handle, column + 1))
                }
                let raw = point(5)
                let rolledUp = point(7)
                if let sample = [raw, rolledUp].compactMap(\.self).max(by: { $0.timestamp < $1.timestamp }) {
                    let id = sqlite3_column_int64(handle, 0)
                    let name = String(cString: sqlite3_column_text(handle, 1))
                    let key: SeriesKey
                    if let cached = known[id] {
                        key = cached
                    } else {
                        let text = String(cString: sqlite3_column_text(handle, 2))
                        guard let labels = Labels(canonical: text) else {
                            throw StoreError.corruptRow(file, "series \(name) has labels '\(text)' that are not in canonical form")
                        }
                        key = SeriesKey(name, labels)
                        known[id] = key
                        learnt[id] = key
                    }
                    let kindText = String(cString: sqlite3_column_text(handle, 3))
                    let unitText = String(cString: sqlite3_column_text(handle, 4))
                    guard let kind = MetricKind(rawValue: kindText), let unit = MetricUnit(rawValue: unitText) else {
                        throw StoreError.corruptRow(file, "series \(name) has kind '\(kindText)' or unit '\(unitText)' this build does not know")
                    }
                    latest.append((SeriesDescriptor(key, kind: kind, unit: unit), sample))
                }
                code = sqlite3_step(handle)
            }
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            return (latest, learnt)
        }
        if !learnt.isEmpty { seriesKeys.withLock { $0.merge(learnt) { _, new in new } } }
        return latest
    }

    /// The database file's pages (`page_count × page_size`); the write-ahead log is checkpointed between jobs, so not counted.
    public func sizeInBytes() async throws -> Int64 {
        try await reading { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return pages * size
        }
    }
}
