import GRDB

/// Recomputes hourly and daily rollup rows from the raw samples they summarise.
///
/// Rollups are always rebuilt from raw rather than updated incrementally, so replacing a sample's value
/// leaves them exact. One grouped statement covers a whole range of a series, never one per sample.
enum RollupBuilder {
    enum Table: String {
        case hourly = "hourly_rollups"
        case daily = "daily_rollups"

        /// The SQL expression for a sample's bucket: the UTC hour it falls in, or the day start bound as `?2`
        /// (the statement covers exactly one local day, whose start the caller computed with the calendar).
        var bucketExpression: String {
            switch self {
            case .hourly: "ts - ((ts % 3600000) + 3600000) % 3600000"
            case .daily: "?2"
            }
        }
    }

    /// One statement per table, prepared once per connection and reused.
    ///
    /// Windows run in the primary key's order with no partition, so SQLite never sorts; a sample starts its bucket when the
    /// previous one is in another, and a drop in value is a counter reset that counts as an increase of the new value.
    static func sql(_ table: Table) -> String {
        """
        INSERT OR REPLACE INTO \(table.rawValue) (series_id, bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase)
        SELECT ?1, bucket, count(*), sum(value), min(value), max(value),
            min(ts), max(CASE WHEN prev_bucket IS NOT bucket THEN value END),
            max(ts), max(CASE WHEN next_bucket IS NOT bucket THEN value END),
            sum(CASE WHEN prev_bucket IS NOT bucket THEN 0 WHEN value >= prev THEN value - prev ELSE value END)
        FROM (
            SELECT ts, value, bucket, lag(bucket) OVER w AS prev_bucket, lag(value) OVER w AS prev, lead(bucket) OVER w AS next_bucket
            FROM (SELECT ts, value, \(table.bucketExpression) AS bucket FROM samples WHERE series_id = ?1 AND ts >= ?2 AND ts < ?3)
            WINDOW w AS (ORDER BY ts)
        )
        GROUP BY bucket
        """
    }

    /// Rebuilds the hourly rows of `seriesID` for the whole hours in `[from, to)` (both whole UTC hours).
    static func rebuildHours(_ db: Database, seriesID: Int64, from: Int64, to: Int64) throws {
        try db.cachedStatement(sql: sql(.hourly)).execute(arguments: [seriesID, from, to])
    }

    /// Rebuilds the daily row of `seriesID` for the local day `[dayStart, nextDayStart)`.
    static func rebuildDay(_ db: Database, seriesID: Int64, dayStart: Int64, nextDayStart: Int64) throws {
        try db.cachedStatement(sql: sql(.daily)).execute(arguments: [seriesID, dayStart, nextDayStart])
    }

    /// Rebuilds every hourly rollup from raw samples (after a migration adds the rollup tables to a store that has samples).
    static func rebuildAllHours(_ db: Database) throws {
        for (seriesID, first, last) in try sampleRanges(db) {
            try rebuildHours(db, seriesID: seriesID, from: BucketGrid.hourStart(first), to: BucketGrid.hourStart(last) + BucketGrid.hour)
        }
    }

    /// Replaces every daily rollup with ones cut at `grid`'s midnights, from raw samples.
    ///
    /// Days whose raw samples retention has already deleted cannot be recut and lose their daily row;
    /// their hourly rows remain.
    static func rebuildAllDays(_ db: Database, grid: BucketGrid) throws {
        try db.execute(sql: "DELETE FROM daily_rollups")
        for (seriesID, first, last) in try sampleRanges(db) {
            let starts = grid.dayStarts(from: first, through: last)
            for index in starts.indices.dropLast() {
                try rebuildDay(db, seriesID: seriesID, dayStart: starts[index], nextDayStart: starts[index + 1])
            }
        }
    }

    private static func sampleRanges(_ db: Database) throws -> [(Int64, Int64, Int64)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, (SELECT min(ts) FROM samples WHERE series_id = id) AS first, (SELECT max(ts) FROM samples WHERE series_id = id) AS last
                FROM series WHERE first IS NOT NULL
                """
        ).map { ($0["id"], $0["first"], $0["last"]) }
    }
}
