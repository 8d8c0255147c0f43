import Foundation
import GRDB
import VitalsCore

/// Cuts the daily rollups again when the store's time zone changes, from what the store keeps for good.
///
/// Raw samples go with retention, hourly rollups (UTC hours) and daily rollups stay. So a new day is built from:
/// the old day's row when the two zones' days coincide (same start and end); otherwise the hourly rows of the whole
/// UTC hours inside it, plus, where the new midnight falls inside an hour (zones at half or quarter hours, such as
/// Asia/Kolkata), the raw samples of that hour's part in the day. When that hour's raw samples are no longer all there,
/// the day cannot be rebuilt: it is *lost*, and the caller decides whether to go on (see ``SQLiteMetricStore``).
///
/// The same cut repairs the daily rows of stores written before every day's start came from the calendar
/// (``repairMisplacedDays(_:grid:)``).
struct DayRecut {
    let db: Database
    let old: BucketGrid?
    let new: BucketGrid
    /// The series to recut; nil for all.
    let series: [Int64]?
    /// Whether a day that cannot be rebuilt keeps the rows stored inside it (a repair), or has none (a zone change).
    let keepingLostRows: Bool

    /// The days in the new zone that could not be rebuilt, as their starts.
    private(set) var lostDays = Set<Int64>()

    init(db: Database, from old: BucketGrid?, to new: BucketGrid, series: [Int64]? = nil, keepingLostRows: Bool = false) {
        self.db = db
        self.old = old
        self.new = new
        self.series = series
        self.keepingLostRows = keepingLostRows
    }

    /// Recuts the series with a daily row that is not one of `grid`'s days: one that starts elsewhere than a day's first
    /// instant, or holds samples from outside its day. Before every day start came from the calendar, the days after a
    /// clock change at midnight (America/Santiago, Asia/Tehran, …) were stored an hour late, for the rest of a write's span.
    /// A day that cannot be rebuilt keeps its rows: misplaced, they still count in the totals of longer periods.
    static func repairMisplacedDays(_ db: Database, grid: BucketGrid) throws {
        guard let first = try Int64.fetchOne(db, sql: "SELECT min(bucket_start) FROM daily_rollups"),
            let last = try Int64.fetchOne(db, sql: "SELECT max(last_ts) FROM daily_rollups")
        else { return }
        let days = grid.dayStarts(from: first, through: last)
        var misplaced = Set<Int64>()
        let rows = try Row.fetchCursor(db, sql: "SELECT series_id, bucket_start, first_ts, last_ts FROM daily_rollups")
        while let row = try rows.next() {
            let (seriesID, start, firstTime, lastTime): (Int64, Int64, Int64, Int64) = (row[0], row[1], row[2], row[3])
            let index = days.lastIndex(notAfter: start)
            if days[index] != start || firstTime < start || lastTime >= days[index + 1] { misplaced.insert(seriesID) }
        }
        guard !misplaced.isEmpty else { return }
        var recut = DayRecut(db: db, from: nil, to: grid, series: misplaced.sorted(), keepingLostRows: true)
        try recut.run()
    }

    /// Replaces every daily row with one cut in the new zone; collects the days it could not rebuild in ``lostDays``.
    mutating func run() throws {
        guard let first = try Int64.fetchOne(db, sql: "SELECT min(bucket_start) FROM hourly_rollups"),
            let last = try Int64.fetchOne(db, sql: "SELECT max(bucket_start) FROM hourly_rollups")
        else {
            try db.execute(sql: "DELETE FROM daily_rollups")
            return
        }
        // Day starts are found once for the whole store: the calendar costs more than reading a series' rows.
        let newDays = new.dayStarts(from: first, through: last + BucketGrid.hour - 1)
        var oldEnds: [Int64: Int64] = [:]
        if let old {
            let oldDays = old.dayStarts(from: first, through: last + BucketGrid.hour - 1)
            for (start, end) in zip(oldDays, oldDays.dropFirst()) { oldEnds[start] = end }
        }
        let seriesIDs = try series ?? Int64.fetchAll(db, sql: "SELECT DISTINCT series_id FROM hourly_rollups ORDER BY series_id")
        for seriesID in seriesIDs {
            let rows = try cutDays(of: seriesID, newDays: newDays, oldEnds: oldEnds)
            try db.execute(sql: "DELETE FROM daily_rollups WHERE series_id = ?", arguments: [seriesID])
            let builder = RollupBuilder(db: db, grid: new)
            for (start, summary) in rows { try builder.store(summary, .daily, seriesID: seriesID, bucketStart: start) }
        }
    }

    private mutating func cutDays(of seriesID: Int64, newDays: [Int64], oldEnds: [Int64: Int64]) throws -> [(Int64, SampleSummary)] {
        let hours = try rows("hourly_rollups", seriesID)
        guard !hours.isEmpty else { return [] }
        let stored = try rows("daily_rollups", seriesID)
        let oldRows = Dictionary(stored, uniquingKeysWith: { first, _ in first })
        let hourIndex = Dictionary(hours.enumerated().map { ($0.element.start, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var result: [(Int64, SampleSummary)] = []
        var next = 0
        var day = newDays.lastIndex(notAfter: hours[0].start)
        while next < hours.count {
            let (from, to) = (newDays[day], newDays[day + 1])
            defer { day += 1 }
            if oldEnds[from] == to, let kept = oldRows[from] {
                result.append((from, kept))
                // An hour across the end stays for the next day, which takes its part after `to`.
                while next < hours.count, hours[next].start + BucketGrid.hour <= to { next += 1 }
                continue
            }
            var parts: [SampleSummary] = []
            var lost = false
            // The hour holding the day's start, when the start is not on a whole hour: only its part from `from` on.
            let leadHour = BucketGrid.hourStart(from)
            if leadHour < from, let index = hourIndex[leadHour] {
                if let points = try partOfHour(hours[index], seriesID: seriesID, from: from, to: leadHour + BucketGrid.hour) {
                    parts += points
                } else {
                    lost = true
                }
            }
            while next < hours.count, hours[next].start < from { next += 1 }
            while next < hours.count, hours[next].start + BucketGrid.hour <= to {
                parts.append(hours[next].summary)
                next += 1
            }
            // The hour holding the next day's start, when that is not on a whole hour: only its part before `to`.
            if next < hours.count, hours[next].start < to {
                if let points = try partOfHour(hours[next], seriesID: seriesID, from: hours[next].start, to: to) {
                    parts += points
                } else {
                    lost = true
                }
            }
            if lost {
                lostDays.insert(from)
                if keepingLostRows { result += stored.filter { from <= $0.start && $0.start < to }.map { ($0.start, $0.summary) } }
            } else if let first = parts.first {
                result.append((from, parts.dropFirst().reduce(first) { $0.merging($1) }))
            }
        }
        return result
    }

    /// The raw samples of `hour` in `[from, to)`, one summary each; nil when retention deleted some of the hour's samples.
    private mutating func partOfHour(
        _ hour: (start: Int64, summary: SampleSummary), seriesID: Int64, from: Int64, to: Int64
    ) throws -> [SampleSummary]? {
        let points = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts"),
            arguments: [seriesID, hour.start, hour.start + BucketGrid.hour]
        ).map { SamplePoint(Timestamp(milliseconds: $0[0]), $0[1]) }
        guard points.count == hour.summary.count else { return nil }
        return points.filter { from <= $0.timestamp.milliseconds && $0.timestamp.milliseconds < to }.map(SampleSummary.init)
    }

    private func rows(_ table: String, _ seriesID: Int64) throws -> [(start: Int64, summary: SampleSummary)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase FROM \(table)
                WHERE series_id = ? ORDER BY bucket_start
                """,
            arguments: [seriesID]
        ).map { (start: $0[0], summary: SampleSummary(rollup: $0, from: 1)) }
    }
}
