import GRDB
import VitalsCore

/// Recomputes hourly and daily rollup rows from the raw samples they summarise.
///
/// Rollups are always rebuilt from raw rather than updated incrementally, so replacing a sample's value leaves them exact.
/// A range of whole local days is read once, in primary-key order, and folded into both its hours and its days in one pass:
/// one query per touched range of a series, never one per sample, and no sorting or window functions for SQLite to run.
struct RollupBuilder {
    enum Table: String, CaseIterable {
        case hourly = "hourly_rollups"
        case daily = "daily_rollups"
    }

    let db: Database
    let grid: BucketGrid
    /// The tables to write; recutting days in a new time zone leaves the hourly rows alone.
    var tables: Set<Table> = Set(Table.allCases)

    /// Rebuilds the rollups of `seriesID` for the local days from the one holding `first` to the one holding `last`.
    func rebuild(seriesID: Int64, first: Int64, last: Int64) throws {
        try rebuild(seriesID: seriesID, days: grid.dayStarts(from: first, through: last)[...])
    }

    /// Rebuilds the rollups of `seriesID` for the local days `[days[i], days[i+1])`, consecutive midnights of ``grid``.
    func rebuild(seriesID: Int64, days: ArraySlice<Int64>) throws {
        let points = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts"),
            arguments: [seriesID, days.first!, days.last!])
        var hour = Bucket(start: 0)
        var day = Bucket(start: days.first!)
        var nextDay = days.startIndex + 1
        while let row = try points.next() {
            let point = SamplePoint(Timestamp(milliseconds: row[0]), row[1])
            let hourStart = BucketGrid.hourStart(point.timestamp.milliseconds)
            if hourStart != hour.start {
                try save(hour, .hourly, seriesID: seriesID)
                hour = Bucket(start: hourStart)
            }
            if point.timestamp.milliseconds >= days[nextDay] {
                try save(day, .daily, seriesID: seriesID)
                while point.timestamp.milliseconds >= days[nextDay] { nextDay += 1 }
                day = Bucket(start: days[nextDay - 1])
            }
            hour.add(point)
            day.add(point)
        }
        try save(hour, .hourly, seriesID: seriesID)
        try save(day, .daily, seriesID: seriesID)
    }

    /// Rebuilds the rollups of every series over all of its raw samples (after a migration, or with a new time zone).
    ///
    /// Days whose raw samples retention already deleted cannot be rebuilt and keep the rows they have.
    func rebuildAll() throws {
        let ranges = try Row.fetchAll(
            db,
            sql: """
                SELECT id, (SELECT min(ts) FROM samples WHERE series_id = id) AS first, (SELECT max(ts) FROM samples WHERE series_id = id) AS last
                FROM series WHERE first IS NOT NULL
                """)
        for range in ranges {
            try rebuild(seriesID: range["id"], first: range["first"], last: range["last"])
        }
    }

    private func save(_ bucket: Bucket, _ table: Table, seriesID: Int64) throws {
        guard tables.contains(table), let summary = bucket.summary else { return }
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO \(table.rawValue) (series_id, bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            seriesID, bucket.start, summary.count, summary.sum, summary.min, summary.max, summary.first.timestamp.milliseconds,
            summary.first.value, summary.last.timestamp.milliseconds, summary.last.value, summary.increase,
        ])
    }
}

/// The samples of one bucket folded so far.
private struct Bucket {
    let start: Int64
    var summary: SampleSummary?

    init(start: Int64) {
        self.start = start
    }

    mutating func add(_ point: SamplePoint) {
        let single = SampleSummary(point)
        summary = summary?.merging(single) ?? single
    }
}
