import GRDB
public import VitalsCore

extension SQLiteMetricStore {
    /// One summary per bucket `[boundaries[i], boundaries[i+1])`, nil where the bucket has no samples.
    ///
    /// Each bucket is read in layers: daily rollups for the whole local days inside it, hourly rollups for the whole hours
    /// left at either side, and raw samples for the partial hours at its edges. The layers are merged in time order,
    /// so the result equals a summary of the raw samples, and a day-aligned bucket past retention still has one.
    public func summaries(of key: SeriesKey, boundaries: [Timestamp]) throws -> [SampleSummary?] {
        let buckets = zip(boundaries, boundaries.dropFirst()).map { ($0.milliseconds, $1.milliseconds) }
        return try writer.read { db in
            guard let id = try seriesID(of: key, db) else { return buckets.map { _ in nil } }
            return try buckets.map { from, to in
                guard from < to else { return nil }
                return try layers(db, seriesID: id, from: from, to: to).reduce(nil) { merged, next in merged?.merging(next) ?? next }
            }
        }
    }

    private func layers(_ db: Database, seriesID: Int64, from: Int64, to: Int64) throws -> [SampleSummary] {
        let firstMidnight = grid.dayCeiling(from)
        let lastMidnight = grid.dayStart(to)
        guard firstMidnight < lastMidnight else { return try hourLayers(db, seriesID: seriesID, from: from, to: to) }
        return try hourLayers(db, seriesID: seriesID, from: from, to: firstMidnight)
            + rollups(.daily, db, seriesID: seriesID, from: firstMidnight, to: lastMidnight)
            + hourLayers(db, seriesID: seriesID, from: lastMidnight, to: to)
    }

    private func hourLayers(_ db: Database, seriesID: Int64, from: Int64, to: Int64) throws -> [SampleSummary] {
        guard from < to else { return [] }
        let firstHour = BucketGrid.hourCeiling(from)
        let lastHour = BucketGrid.hourStart(to)
        guard firstHour < lastHour else { return try rawPoints(db, seriesID: seriesID, from: from, to: to).map(SampleSummary.init) }
        return try rawPoints(db, seriesID: seriesID, from: from, to: firstHour).map(SampleSummary.init)
            + rollups(.hourly, db, seriesID: seriesID, from: firstHour, to: lastHour)
            + rawPoints(db, seriesID: seriesID, from: lastHour, to: to).map(SampleSummary.init)
    }

    private func rollups(_ table: RollupBuilder.Table, _ db: Database, seriesID: Int64, from: Int64, to: Int64) throws -> [SampleSummary] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT count, sum, min, max, first_ts, first, last_ts, last, increase FROM \(table.rawValue)
                    WHERE series_id = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start
                    """),
            arguments: [seriesID, from, to]
        ).map(SampleSummary.init(rollup:))
    }
}

extension SampleSummary {
    /// The summary a rollup row holds (columns count, sum, min, max, first_ts, first, last_ts, last, increase).
    init(rollup row: Row) {
        self.init(
            count: row["count"], sum: row["sum"], min: row["min"], max: row["max"],
            first: SamplePoint(Timestamp(milliseconds: row["first_ts"]), row["first"]),
            last: SamplePoint(Timestamp(milliseconds: row["last_ts"]), row["last"]), increase: row["increase"])
    }

    /// The summary of a single sample.
    init(_ point: SamplePoint) {
        self.init(count: 1, sum: point.value, min: point.value, max: point.value, first: point, last: point, increase: 0)
    }
}
