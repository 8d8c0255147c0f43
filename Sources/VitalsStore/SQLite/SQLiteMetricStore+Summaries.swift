import GRDB
public import VitalsCore

extension SQLiteMetricStore {
    /// One summary per bucket `[boundaries[i], boundaries[i+1])`, nil where the bucket has no samples.
    ///
    /// Each bucket is read in layers: daily rollups for the whole local days inside it, hourly rollups for the whole hours
    /// left at either side, and raw samples for the partial hours at its edges. The layers are merged in time order,
    /// so the result equals a summary of the raw samples, and a day-aligned bucket past retention still has one.
    public func summaries(of key: SeriesKey, boundaries: [Timestamp]) async throws -> [SampleSummary?] {
        try await summaries(of: [key], boundaries: boundaries)[0]
    }

    /// The summaries of several series over the same buckets, all read in one read transaction.
    public func summaries(of keys: [SeriesKey], boundaries: [Timestamp]) async throws -> [[SampleSummary?]] {
        guard !keys.isEmpty else { return [] }
        let plan = bucketPlans.plan(for: boundaries, grid: grid)
        return try await reading { db in try keys.map { try summaries(of: $0, plan: plan, db) } }
    }

    private func summaries(of key: SeriesKey, plan: [BucketPlan], _ db: Database) throws -> [SampleSummary?] {
        guard let id = try seriesID(of: key, db) else { return plan.map { _ -> SampleSummary? in nil } }
        // The whole days of every bucket come from one query; only partial days at bucket edges need more.
        let wholeDays = plan.compactMap(\.days)
        let daily =
            wholeDays.isEmpty
            ? [] : try rollupRows(.daily, db, seriesID: id, from: wholeDays.map(\.lowerBound).min()!, to: wholeDays.map(\.upperBound).max()!)
        return try plan.map { bucket in
            guard bucket.from < bucket.to else { return nil }
            // Merged as read, in time order; most buckets of a report are whole days, read from `daily` alone.
            var merged: SampleSummary?
            func add(_ summaries: some Sequence<SampleSummary>) {
                for next in summaries { merged = merged?.merging(next) ?? next }
            }
            guard let days = bucket.days else {
                add(try hourLayers(db, seriesID: id, from: bucket.from, to: bucket.to))
                return merged
            }
            if bucket.from < days.lowerBound { add(try hourLayers(db, seriesID: id, from: bucket.from, to: days.lowerBound)) }
            add(daily[daily.bucketRange(days)].lazy.map(\.summary))
            if days.upperBound < bucket.to { add(try hourLayers(db, seriesID: id, from: days.upperBound, to: bucket.to)) }
            return merged
        }
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
        try rollupRows(table, db, seriesID: seriesID, from: from, to: to).map(\.summary)
    }

    private func rollupRows(
        _ table: RollupBuilder.Table, _ db: Database, seriesID: Int64, from: Int64, to: Int64
    ) throws -> [(start: Int64, summary: SampleSummary)] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase FROM \(table.rawValue)
                    WHERE series_id = ? AND bucket_start >= ? AND bucket_start < ? ORDER BY bucket_start
                    """),
            arguments: [seriesID, from, to]
        ).map { (start: $0[0], summary: SampleSummary(rollup: $0, from: 1)) }
    }
}

extension Array where Element == (start: Int64, summary: SampleSummary) {
    /// The indices of the rows whose bucket starts in `range`, found by binary search (rows are sorted by start).
    func bucketRange(_ range: Range<Int64>) -> Range<Int> {
        func firstIndex(atOrAfter value: Int64) -> Int {
            var low = 0
            var high = count
            while low < high {
                let middle = (low + high) / 2
                if self[middle].start < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
        return firstIndex(atOrAfter: range.lowerBound)..<firstIndex(atOrAfter: range.upperBound)
    }
}

extension SampleSummary {
    /// The summary a rollup row holds in its columns from `first` on: count, sum, min, max, first_ts, first, last_ts, last,
    /// increase. Columns are read by position: by name, each read is a string lookup, which a long report does a million times.
    /// A sum or increase kept as the text `NaN` is NaN (``StoredNumber``).
    init(rollup row: Row, from first: Int = 0) {
        self.init(
            count: row[first], sum: Self.rollupNumber(row, first + 1), min: row[first + 2], max: row[first + 3],
            first: SamplePoint(Timestamp(milliseconds: row[first + 4]), row[first + 5]),
            last: SamplePoint(Timestamp(milliseconds: row[first + 6]), row[first + 7]), increase: Self.rollupNumber(row, first + 8))
    }

    /// A sum or increase column: its double, unless it holds the text `NaN`.
    private static func rollupNumber(_ row: Row, _ index: Int) -> Double {
        StoredNumber.value(row[index]) ?? .nan
    }

    /// The summary of a single sample.
    init(_ point: SamplePoint) {
        self.init(count: 1, sum: point.value, min: point.value, max: point.value, first: point, last: point, increase: 0)
    }
}
