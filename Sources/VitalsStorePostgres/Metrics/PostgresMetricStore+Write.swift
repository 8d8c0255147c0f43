import PostgresNIO
import Synchronization
public import VitalsCore
public import VitalsPorts

extension PostgresMetricStore: MetricStore {
    /// Writes samples in one transaction, replacing the value of any series and timestamp already stored, and brings the
    /// hourly and daily rollups of the buckets they fall in up to date in the same transaction.
    ///
    /// Series go in as array parameters (one prepared statement, however many). As in the SQLite store, a series whose new
    /// samples all come after its newest stored one (collectors append) has the new samples' bucket summaries merged into
    /// its rollup rows (in the database, one statement a table), and so has a new series (SQLite recomputes its days from
    /// raw, which folds the same values in the same order); their samples go in by binary `COPY` (``SampleCopy``), since
    /// none can meet a stored one. Any other series has its samples inserted as array parameters, replacing stored values,
    /// and the touched local days recomputed from raw in the database, so the rollups stay exact.
    ///
    /// Writers share the sample-write lock, so writes of different series never wait for one another; the write records,
    /// per series, its transaction id and the first and last time it set, for the write history
    /// (``samplesWritten(named:since:)``).
    @discardableResult
    public func write(_ samples: [Sample]) async throws -> Int {
        try await write(samples, beforeCommit: nil)
    }

    /// ``write(_:)``, running `beforeCommit` in the write's transaction once every row is written (the tests hold a write open
    /// with it, to read while it is under way).
    func write(_ samples: [Sample], beforeCommit: (@Sendable () async throws -> Void)?) async throws -> Int {
        guard !samples.isEmpty else { return 0 }
        var points: [SeriesKey: SeriesPoints] = [:]
        for sample in samples { points[sample.series.key, default: SeriesPoints(sample.series)].add(sample) }
        let times = samples.map(\.timestamp.milliseconds)
        // Through an hour after the last sample: the days a rebuild reads hold the ends of the samples' hours.
        let dayStarts = days.starts(from: Timestamp(milliseconds: times.min()!), through: Timestamp(milliseconds: times.max()! + Self.hour))
            .map(\.milliseconds)
        // In key order, so that writers sharing series lock their rows in one order and never deadlock.
        let series = points.values.map(\.descriptor).sorted { $0.key < $1.key }
        try await ensurePartitions(for: times)
        do {
            try await insert(series, points, dayStarts: dayStarts, beforeCommit: beforeCommit)
        } catch let error as PostgresStoreError where error.sqlState == "23514" {
            // No partition for a sample: another instance's retention dropped a month this store had seen. Once more, after
            // making the missing partitions again.
            partitions.withLock { $0 = [] }
            try await ensurePartitions(for: times)
            try await insert(series, points, dayStarts: dayStarts, beforeCommit: beforeCommit)
        }
        return samples.count
    }

    private func insert(
        _ series: [SeriesDescriptor], _ points: [SeriesKey: SeriesPoints], dayStarts: [Int64], beforeCommit: (@Sendable () async throws -> Void)?
    ) async throws {
        try await writing(holding: .shared) { connection in
            let stored = try await Self.seriesIDs(of: series, connection)
            var appended = PointColumns()
            var others = PointColumns()
            var hourly = RollupRows()
            var daily = RollupRows()
            var rebuilt: [(seriesID: Int64, from: Int64, to: Int64)] = []
            var written: [(seriesID: Int64, first: Int64, last: Int64)] = []
            for descriptor in series {
                let (id, newest, rolledUp) = stored[descriptor.key]!
                let seriesPoints = points[descriptor.key]!.inTimeOrder
                written.append((id, seriesPoints[0].key, seriesPoints[seriesPoints.count - 1].key))
                // All points after the newest stored one, or a series with nothing stored (a new one): nothing to replace.
                if newest.map({ seriesPoints[0].key > $0 }) ?? !rolledUp {
                    appended.append(seriesPoints, of: id)
                    Self.fold(seriesPoints, of: id, dayStarts: dayStarts, hourly: &hourly, daily: &daily)
                } else {
                    others.append(seriesPoints, of: id)
                    for days in LocalDays.rebuiltRanges(touching: seriesPoints.map(\.key), in: dayStarts) {
                        rebuilt.append((id, dayStarts[days.lowerBound], dayStarts[days.upperBound]))
                    }
                }
            }
            if !appended.seriesIDs.isEmpty {
                try await SampleCopy(points: appended).run(connection)
                try await connection.run(MergeRollups<Hourly>(rows: hourly))
                try await connection.run(MergeRollups<Daily>(rows: daily))
            }
            if !others.seriesIDs.isEmpty {
                try await connection.run(InsertSamples(points: others))
                try await Self.rebuildRollups(rebuilt, dayStarts: dayStarts, connection)
            }
            try await connection.run(RecordChanges(spans: written))
            try await beforeCommit?()
        }
    }

    /// Folds the points of one series, in time order and all later than its stored ones, into the summaries of their UTC
    /// hours and local days (`dayStarts`, consecutive midnights around them), one point after another as the SQLite store's
    /// rollup builder folds them.
    static func fold(
        _ points: [(key: Int64, value: Double)], of seriesID: Int64, dayStarts: [Int64], hourly: inout RollupRows, daily: inout RollupRows
    ) {
        var hour: (start: Int64, summary: SampleSummary)?
        var day: (start: Int64, summary: SampleSummary)?
        var dayIndex = 0
        for (ms, value) in points {
            let point = SamplePoint(Timestamp(milliseconds: ms), value)
            let single = SampleSummary(count: 1, sum: value, min: value, max: value, first: point, last: point, increase: 0)
            let hourStart = ms - ((ms % Self.hour) + Self.hour) % Self.hour
            if let current = hour, current.start == hourStart {
                hour = (hourStart, current.summary.merging(single))
            } else {
                if let current = hour { hourly.append(current.summary, seriesID: seriesID, bucket: current.start) }
                hour = (hourStart, single)
            }
            while dayStarts[dayIndex + 1] <= ms { dayIndex += 1 }
            if let current = day, current.start == dayStarts[dayIndex] {
                day = (current.start, current.summary.merging(single))
            } else {
                if let current = day { daily.append(current.summary, seriesID: seriesID, bucket: current.start) }
                day = (dayStarts[dayIndex], single)
            }
        }
        if let hour { hourly.append(hour.summary, seriesID: seriesID, bucket: hour.start) }
        if let day { daily.append(day.summary, seriesID: seriesID, bucket: day.start) }
    }

    /// The id of each of `series`, the time of its newest stored sample (nil for a series without any) and whether it has
    /// rollup rows, creating the rows of new ones and updating the kind and unit of those whose changed.
    ///
    /// Every row is locked until the transaction ends (`ON CONFLICT DO UPDATE` locks the rows it meets, updated or not), so
    /// writes to one series from several instances take turns, and each sees the samples and rollups the previous one
    /// committed: the newest sample is read after the lock is held.
    static func seriesIDs(of series: [SeriesDescriptor], _ connection: Session) async throws
        -> [SeriesKey: (id: Int64, newest: Int64?, rolledUp: Bool)]
    {
        let names = series.map(\.key.name)
        let labels = series.map(\.key.labels.canonical)
        try await connection.run(UpsertSeries(names: names, labels: labels, kinds: series.map(\.kind.rawValue), units: series.map(\.unit.rawValue)))
        var ids: [SeriesKey: (id: Int64, newest: Int64?, rolledUp: Bool)] = [:]
        for try await (index, id, newest, rolledUp) in try await connection.execute(SeriesIDs(names: names, labels: labels), logger: logger) {
            ids[series[Int(index) - 1].key] = (id, newest, rolledUp)
        }
        return ids
    }

    /// Recomputes the hourly and daily rollups of each series over the local days `[from, to)` (midnights among
    /// `dayStarts`), from its raw samples, in two statements for all series.
    ///
    /// Each bucket's values are aggregated in time order, as the SQLite store folds them, so both stores give the same
    /// summaries; a bucket without raw samples (past retention) keeps its row.
    static func rebuildRollups(_ days: [(seriesID: Int64, from: Int64, to: Int64)], dayStarts: [Int64], _ connection: Session)
        async throws
    {
        guard !days.isEmpty else { return }
        let ranges = RebuildRanges(seriesIDs: days.map(\.seriesID), froms: days.map(\.from), tos: days.map(\.to), dayStarts: dayStarts)
        try await connection.run(RebuildRollups<Hourly>(ranges: ranges))
        try await connection.run(RebuildRollups<Daily>(ranges: ranges))
    }
}
