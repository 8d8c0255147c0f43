import GRDB
import Synchronization
public import VitalsCore

extension SQLiteMetricStore {
    /// Writes samples in one transaction, replacing the value of any series and timestamp already stored,
    /// then rebuilds the hourly and daily rollups of the buckets the samples fall in.
    @discardableResult
    public func write(_ samples: [Sample]) throws -> Int {
        guard !samples.isEmpty else { return 0 }
        let known = seriesIDs.withLock { $0 }
        let added = try writer.write { db in
            var batch = WriteBatch(known: known)
            let insert = try db.cachedStatement(
                sql: "INSERT INTO samples (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value")
            for sample in samples {
                let id = try batch.seriesID(of: sample.series, db)
                insert.setUncheckedArguments([id, sample.timestamp.milliseconds, sample.value])
                try insert.execute()
                batch.touch(seriesID: id, hour: BucketGrid.hourStart(sample.timestamp.milliseconds))
            }
            try rebuildRollups(touched: batch.touchedHours, db)
            return batch.added
        }
        if !added.isEmpty {
            seriesIDs.withLock { $0.merge(added) { _, new in new } }
        }
        return samples.count
    }

    /// Rebuilds the rollups of the local days the touched hours lie in.
    ///
    /// The batch's midnights are computed once for all series (calendar arithmetic costs more than a query).
    /// Touched days at most one day apart are rebuilt as one range: rescanning a short gap costs less than another query.
    private func rebuildRollups(touched: [Int64: Set<Int64>], _ db: Database) throws {
        let builder = RollupBuilder(db: db, grid: grid)
        let allHours = touched.values.flatMap { [$0.min()!, $0.max()!] }
        let days = grid.dayStarts(from: allHours.min()!, through: allHours.max()! + BucketGrid.hour - 1)
        for (seriesID, hours) in touched {
            // An hour can straddle a midnight in zones whose offset is not whole hours, so both its ends mark a day.
            var touchedDays = Set<Int>()
            for hour in hours {
                touchedDays.insert(days.lastIndex(notAfter: hour))
                touchedDays.insert(days.lastIndex(notAfter: hour + BucketGrid.hour - 1))
            }
            let sortedDays = touchedDays.sorted()
            var rangeFirst = sortedDays[0]
            var rangeLast = sortedDays[0]
            for index in sortedDays.dropFirst() {
                if index - rangeLast > 2 {
                    try builder.rebuild(seriesID: seriesID, days: days[rangeFirst...rangeLast + 1])
                    rangeFirst = index
                }
                rangeLast = index
            }
            try builder.rebuild(seriesID: seriesID, days: days[rangeFirst...rangeLast + 1])
        }
    }
}

/// What one write has learnt so far: the series it created or changed, and the hours it touched per series.
private struct WriteBatch {
    private var known: [SeriesKey: SeriesRow]
    private(set) var added: [SeriesKey: SeriesRow] = [:]
    private(set) var touchedHours: [Int64: Set<Int64>] = [:]

    init(known: [SeriesKey: SeriesRow]) {
        self.known = known
    }

    /// The id of `series`, creating its row, or updating its kind and unit when they changed.
    mutating func seriesID(of series: SeriesDescriptor, _ db: Database) throws -> Int64 {
        if let row = known[series.key], row.kind == series.kind, row.unit == series.unit {
            return row.id
        }
        let id = try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    INSERT INTO series (name, labels, kind, unit) VALUES (?, ?, ?, ?)
                    ON CONFLICT (name, labels) DO UPDATE SET kind = excluded.kind, unit = excluded.unit RETURNING id
                    """),
            arguments: [series.key.name, series.key.labels.canonical, series.kind.rawValue, series.unit.rawValue])!
        let row = SeriesRow(id: id, kind: series.kind, unit: series.unit)
        known[series.key] = row
        added[series.key] = row
        return id
    }

    mutating func touch(seriesID: Int64, hour: Int64) {
        touchedHours[seriesID, default: []].insert(hour)
    }
}
