import GRDB
import Synchronization
public import VitalsCore

extension SQLiteMetricStore {
    /// Writes samples in one transaction, replacing the value of any series and timestamp already stored,
    /// then brings the hourly and daily rollups of the buckets the samples fall in up to date.
    ///
    /// A series whose new samples all come after its newest stored one (the common case: collectors append) has its
    /// rollups extended by merging the new samples into the bucket rows; any other series has the touched days
    /// rebuilt from raw samples, which keeps the rollups exact when a stored value is replaced.
    @discardableResult
    public func write(_ samples: [Sample]) async throws -> Int {
        guard !samples.isEmpty else { return 0 }
        let known = seriesIDs.withLock { $0 }
        let added = try await writing { db in
            var batch = WriteBatch(known: known)
            var points: [Int64: [SamplePoint]] = [:]
            for sample in samples {
                points[try batch.seriesID(of: sample.series, db), default: []].append(SamplePoint(sample.timestamp, sample.value))
            }
            let newest = try db.cachedStatement(sql: "SELECT max(ts) FROM samples WHERE series_id = ?")
            let sequence = try Int64.fetchOne(db.cachedStatement(sql: "UPDATE sample_writes SET sequence = sequence + 1 RETURNING sequence"))!
            let insert = try db.cachedStatement(
                sql: "INSERT INTO samples (series_id, ts, value) VALUES (?, ?, ?) ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value")
            let change = try db.cachedStatement(sql: "INSERT INTO sample_changes (seq, series_id, first_ts, last_ts) VALUES (?, ?, ?, ?)")
            let builder = RollupBuilder(db: db, grid: grid)
            var rebuild: [Int64: Set<Int64>] = [:]
            for (seriesID, seriesPoints) in points {
                let storedNewest = try Int64.fetchOne(newest, arguments: [seriesID])
                try Self.insert(seriesPoints, of: seriesID, with: insert, db)
                try Self.recordChange(of: seriesID, points: seriesPoints, sequence: sequence, with: change, db)
                if let storedNewest, seriesPoints.allSatisfy({ $0.timestamp.milliseconds > storedNewest }) {
                    try builder.append(seriesID: seriesID, points: seriesPoints)
                } else {
                    rebuild[seriesID] = Set(seriesPoints.map { BucketGrid.hourStart($0.timestamp.milliseconds) })
                }
            }
            if !rebuild.isEmpty { try rebuildRollups(touched: rebuild, db) }
            return batch.added
        }
        if !added.isEmpty {
            seriesIDs.withLock { $0.merge(added) { _, new in new } }
        }
        return samples.count
    }

    private static func insert(_ points: [SamplePoint], of seriesID: Int64, with statement: Statement, _ db: Database) throws {
        for point in points {
            try statement.executeBound(in: db) { binder in
                try binder.bind(seriesID)
                try binder.bind(point.timestamp.milliseconds)
                try binder.bind(point.value)
            }
        }
    }

    /// Records in the write history that this write set samples of `seriesID` between its first and last time.
    private static func recordChange(of seriesID: Int64, points: [SamplePoint], sequence: Int64, with statement: Statement, _ db: Database) throws {
        let times = points.map(\.timestamp.milliseconds)
        try statement.executeBound(in: db) { binder in
            try binder.bind(sequence)
            try binder.bind(seriesID)
            try binder.bind(times.min())
            try binder.bind(times.max())
        }
    }

    /// Rebuilds the rollups of the local days the touched hours lie in (`LocalDays.rebuiltRanges`, as the PostgreSQL store).
    ///
    /// The batch's midnights are computed once for all series (calendar arithmetic costs more than a query).
    private func rebuildRollups(touched: [Int64: Set<Int64>], _ db: Database) throws {
        let builder = RollupBuilder(db: db, grid: grid)
        let allHours = touched.values.flatMap { [$0.min()!, $0.max()!] }
        let days = grid.dayStarts(from: allHours.min()!, through: allHours.max()! + BucketGrid.hour - 1)
        for (seriesID, hours) in touched {
            for range in LocalDays.rebuiltRanges(touching: hours, in: days) {
                try builder.rebuild(seriesID: seriesID, days: days[range])
            }
        }
    }
}

/// What one write has learnt so far: the series it created or changed.
private struct WriteBatch {
    private var known: [SeriesKey: SeriesRow]
    private(set) var added: [SeriesKey: SeriesRow] = [:]

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

}
