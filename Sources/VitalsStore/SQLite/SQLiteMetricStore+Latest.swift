import GRDB
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore: LatestSampleReader {
    /// One query: each series' newest raw sample and newest hourly rollup are found by index (SQLite answers `MAX` over an
    /// index prefix with one seek), so the cost grows with the number of series, not of samples.
    public func latestSamples() throws -> [(series: SeriesDescriptor, sample: SamplePoint)] {
        let rows = try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT series.name, series.labels, series.kind, series.unit, raw.ts, raw.value, hourly.last_ts, hourly.last
                    FROM series
                    LEFT JOIN samples AS raw ON raw.series_id = series.id
                        AND raw.ts = (SELECT MAX(ts) FROM samples WHERE series_id = series.id)
                    LEFT JOIN hourly_rollups AS hourly ON hourly.series_id = series.id
                        AND hourly.bucket_start = (SELECT MAX(bucket_start) FROM hourly_rollups WHERE series_id = series.id)
                    """)
        }
        var latest: [(series: SeriesDescriptor, sample: SamplePoint)] = []
        latest.reserveCapacity(rows.count)
        for row in rows {
            let raw = (row[4] as Int64?).map { SamplePoint(Timestamp(milliseconds: $0), row[5]) }
            let rolledUp = (row[6] as Int64?).map { SamplePoint(Timestamp(milliseconds: $0), row[7]) }
            guard let sample = [raw, rolledUp].compactMap(\.self).max(by: { $0.timestamp < $1.timestamp }) else { continue }
            latest.append((try descriptor(row), sample))
        }
        return latest.sorted { $0.series.key < $1.series.key }
    }

    /// The database file's pages (`page_count × page_size`); the write-ahead log is checkpointed between jobs, so not counted.
    public func sizeInBytes() throws -> Int64 {
        try reading { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return pages * size
        }
    }
}
