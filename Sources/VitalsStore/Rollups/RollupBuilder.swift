import GRDB
import GRDBSQLite
import VitalsCore

/// Recomputes hourly and daily rollup rows from the raw samples they summarise, or extends them with appended samples.
///
/// Rollups are rebuilt from raw whenever a write could have replaced a value, so they stay exact; samples that all come
/// after a series' newest stored one are merged into the bucket rows instead, which saves reading them back.
/// A range of whole local days is read once, in primary-key order, and folded into both its hours and its days in one pass:
/// one query per touched range of a series, never one per sample, and no sorting or window functions for SQLite to run.
struct RollupBuilder {
    enum Table: String, CaseIterable {
        case hourly = "hourly_rollups"
        case daily = "daily_rollups"
    }

    let db: Database
    let grid: BucketGrid

    /// Rebuilds the rollups of `seriesID` for the local days from the one holding `first` to the one holding `last`.
    func rebuild(seriesID: Int64, first: Int64, last: Int64) throws {
        try rebuild(seriesID: seriesID, days: grid.dayStarts(from: first, through: last)[...])
    }

    /// Rebuilds the rollups of `seriesID` for the local days `[days[i], days[i+1])`, consecutive midnights of ``grid``, and
    /// for the UTC hours they touch. Where the zone's offset is not whole hours, the first and last hours straddle the days'
    /// ends: they are read whole, so that each hour's row is rebuilt from all its samples and each day's from its own.
    func rebuild(seriesID: Int64, days: ArraySlice<Int64>) throws {
        let (firstDay, end) = (days.first!, days.last!)
        let points = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts"),
            arguments: [seriesID, BucketGrid.hourStart(firstDay), BucketGrid.hourStart(end - 1) + BucketGrid.hour])
        var hour = Bucket(start: 0)
        var day = Bucket(start: firstDay)
        var nextDay = days.startIndex + 1
        while let row = try points.next() {
            let point = SamplePoint(Timestamp(milliseconds: row[0]), row[1])
            let ms = point.timestamp.milliseconds
            let hourStart = BucketGrid.hourStart(ms)
            if hourStart != hour.start {
                try save(hour, .hourly, seriesID: seriesID)
                hour = Bucket(start: hourStart)
            }
            hour.add(point)
            guard ms >= firstDay, ms < end else { continue }
            if ms >= days[nextDay] {
                try save(day, .daily, seriesID: seriesID)
                while ms >= days[nextDay] { nextDay += 1 }
                day = Bucket(start: days[nextDay - 1])
            }
            day.add(point)
        }
        try save(hour, .hourly, seriesID: seriesID)
        try save(day, .daily, seriesID: seriesID)
    }

    /// Merges `points`, all later than every stored sample of `seriesID`, into its hourly and daily rows.
    ///
    /// A batch may repeat a timestamp; the last value written wins, as it does in the samples table.
    func append(seriesID: Int64, points unsorted: [SamplePoint]) throws {
        var points: [SamplePoint] = []
        points.reserveCapacity(unsorted.count)
        // Collectors write in time order, so the stable sort is only paid for when it is needed.
        let ordered = zip(unsorted, unsorted.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp }
        let sorted = ordered ? unsorted : unsorted.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
        for point in sorted {
            if points.last?.timestamp == point.timestamp { points.removeLast() }
            points.append(point)
        }
        let days = grid.dayStarts(from: points[0].timestamp.milliseconds, through: points[points.count - 1].timestamp.milliseconds)
        var hour = Bucket(start: BucketGrid.hourStart(points[0].timestamp.milliseconds))
        var dayIndex = days.lastIndex(notAfter: points[0].timestamp.milliseconds)
        var day = Bucket(start: days[dayIndex])
        // Only the first bucket of each table can already hold samples: every later one starts after the newest stored sample.
        var firstHour = true
        var firstDay = true
        for point in points {
            let hourStart = BucketGrid.hourStart(point.timestamp.milliseconds)
            if hourStart != hour.start {
                try save(hour, .hourly, seriesID: seriesID, mergingStored: firstHour)
                firstHour = false
                hour = Bucket(start: hourStart)
            }
            if point.timestamp.milliseconds >= days[dayIndex + 1] {
                try save(day, .daily, seriesID: seriesID, mergingStored: firstDay)
                firstDay = false
                while point.timestamp.milliseconds >= days[dayIndex + 1] { dayIndex += 1 }
                day = Bucket(start: days[dayIndex])
            }
            hour.add(point)
            day.add(point)
        }
        try save(hour, .hourly, seriesID: seriesID, mergingStored: firstHour)
        try save(day, .daily, seriesID: seriesID, mergingStored: firstDay)
    }

    /// Rebuilds the rollups of every series over all of its raw samples (when the v2 migration creates them).
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

    private func save(_ bucket: Bucket, _ table: Table, seriesID: Int64, mergingStored: Bool = false) throws {
        guard var summary = bucket.summary else { return }
        if mergingStored, let stored = try storedSummary(table, seriesID: seriesID, bucketStart: bucket.start) {
            summary = stored.merging(summary)
        }
        try store(summary, table, seriesID: seriesID, bucketStart: bucket.start)
    }

    /// Writes the row of one bucket, replacing the one there.
    func store(_ summary: SampleSummary, _ table: Table, seriesID: Int64, bucketStart: Int64) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO \(table.rawValue) (series_id, bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).executeBound(in: db) { binder in
            try binder.bind(seriesID)
            try binder.bind(bucketStart)
            try binder.bind(Int64(summary.count))
            try binder.bind(number: summary.sum)
            try binder.bind(summary.min)
            try binder.bind(summary.max)
            try binder.bind(summary.first.timestamp.milliseconds)
            try binder.bind(summary.first.value)
            try binder.bind(summary.last.timestamp.milliseconds)
            try binder.bind(summary.last.value)
            try binder.bind(number: summary.increase)
        }
    }
}

extension RollupBuilder {
    private func storedSummary(_ table: Table, seriesID: Int64, bucketStart: Int64) throws -> SampleSummary? {
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT count, sum, min, max, first_ts, first, last_ts, last, increase FROM \(table.rawValue) WHERE series_id = ? AND bucket_start = ?"),
            arguments: [seriesID, bucketStart])
        return row.map { SampleSummary(rollup: $0) }
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
