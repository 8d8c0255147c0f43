import PostgresNIO
import Synchronization
public import VitalsCore
public import VitalsPorts

extension PostgresMetricStore: MetricStore {
    /// Writes samples in one transaction, replacing the value of any series and timestamp already stored, and brings the
    /// hourly and daily rollups of the local days they fall in up to date in the same transaction.
    ///
    /// Series and samples go in as array parameters (one statement each, however many samples); the rollups of the touched
    /// days are recomputed from raw in the database, so they are exact when a stored value is replaced.
    @discardableResult
    public func write(_ samples: [Sample]) async throws -> Int {
        guard !samples.isEmpty else { return 0 }
        var descriptors: [SeriesKey: SeriesDescriptor] = [:]
        // Per series, its points by time: a batch that repeats a timestamp keeps the last value, as a second write would.
        var points: [SeriesKey: [Int64: Double]] = [:]
        for sample in samples {
            descriptors[sample.series.key] = sample.series
            points[sample.series.key, default: [:]][sample.timestamp.milliseconds] = sample.value
        }
        let times = samples.map(\.timestamp.milliseconds)
        let dayStarts = days.starts(from: Timestamp(milliseconds: times.min()!), through: Timestamp(milliseconds: times.max()!)).map(\.milliseconds)
        // In key order, so that writers sharing series lock their rows in one order and never deadlock.
        let series = descriptors.values.sorted { $0.key < $1.key }
        try await ensurePartitions(for: times)
        do {
            try await insert(series, points, dayStarts: dayStarts)
        } catch let error as PostgresStoreError where error.sqlState == "23514" {
            // No partition for a sample: another instance's retention dropped a month this store had seen. Once more, after
            // making the missing partitions again.
            partitions.withLock { $0 = [] }
            try await ensurePartitions(for: times)
            try await insert(series, points, dayStarts: dayStarts)
        }
        return samples.count
    }

    private func insert(_ series: [SeriesDescriptor], _ points: [SeriesKey: [Int64: Double]], dayStarts: [Int64]) async throws {
        try await transaction { connection in
            let sequence = try await Self.nextWriteSequence(connection)
            let ids = try await Self.seriesIDs(of: series, connection)
            var seriesColumn: [Int64] = []
            var timeColumn: [Int64] = []
            var valueColumn: [Double] = []
            var spans: [(seriesID: Int64, first: Int64, last: Int64)] = []
            for descriptor in series {
                let id = ids[descriptor.key]!
                let seriesPoints = points[descriptor.key]!
                for (ms, value) in seriesPoints {
                    seriesColumn.append(id)
                    timeColumn.append(ms)
                    valueColumn.append(value)
                }
                spans.append((id, seriesPoints.keys.min()!, seriesPoints.keys.max()!))
            }
            try await connection.query(
                """
                INSERT INTO samples (series_id, ts, value, seq)
                SELECT *, \(sequence)::int8 FROM unnest(\(seriesColumn)::int8[], \(timeColumn)::int8[], \(valueColumn)::float8[])
                ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value, seq = excluded.seq
                """, logger: Self.logger)
            try await Self.rebuildRollups(spans, dayStarts: dayStarts, connection)
        }
    }

    /// The ids of `series`, creating the rows of new ones and updating the kind and unit of those whose changed.
    ///
    /// Every row is locked until the transaction ends (`ON CONFLICT DO UPDATE` locks the rows it meets, updated or not), so
    /// writes to one series from several instances take turns, and each rebuilds the rollups from the samples the previous
    /// one committed.
    static func seriesIDs(of series: [SeriesDescriptor], _ connection: PostgresConnection) async throws -> [SeriesKey: Int64] {
        let names = series.map(\.key.name)
        let labels = series.map(\.key.labels.canonical)
        try await connection.query(
            """
            INSERT INTO series (name, labels, kind, unit)
            SELECT * FROM unnest(\(names)::text[], \(labels)::text[], \(series.map(\.kind.rawValue))::text[], \(series.map(\.unit.rawValue))::text[])
            ON CONFLICT (name, labels) DO UPDATE SET kind = excluded.kind, unit = excluded.unit
            WHERE (series.kind, series.unit) IS DISTINCT FROM (excluded.kind, excluded.unit)
            """, logger: logger)
        var ids: [SeriesKey: Int64] = [:]
        let rows = try await connection.query(
            """
            SELECT k.i, s.id FROM unnest(\(names)::text[], \(labels)::text[]) WITH ORDINALITY AS k(name, labels, i)
            JOIN series s ON s.name = k.name AND s.labels = k.labels
            """, logger: logger)
        for try await (index, id) in rows.decode((Int64, Int64).self) { ids[series[Int(index) - 1].key] = id }
        return ids
    }

    /// Recomputes the hourly and daily rollups of each series over the local days from the one holding `first` to the one
    /// holding `last`, from its raw samples, in two statements for all series.
    ///
    /// Each bucket's values are aggregated in time order, as the SQLite store folds them, so both stores give the same
    /// summaries; a bucket without raw samples (past retention) keeps its row.
    static func rebuildRollups(_ spans: [(seriesID: Int64, first: Int64, last: Int64)], dayStarts: [Int64], _ connection: PostgresConnection)
        async throws
    {
        guard !spans.isEmpty else { return }
        let ids = spans.map(\.seriesID)
        let froms = spans.map { span in dayStarts.last { $0 <= span.first }! }
        let tos = spans.map { span in dayStarts.first { $0 > span.last }! }
        let ranges = "unnest($1::int8[], $2::int8[], $3::int8[]) AS r(series_id, from_ts, to_ts)"
        let inRange = "s.series_id = r.series_id AND s.ts >= r.from_ts AND s.ts < r.to_ts"
        let hourly =
            "SELECT s.series_id, s.ts, s.value, s.ts - ((s.ts % 3600000) + 3600000) % 3600000 AS bucket FROM samples s JOIN \(ranges) ON \(inRange)"
        let daily = """
            SELECT s.series_id, s.ts, s.value, d.day_start AS bucket FROM samples s JOIN \(ranges) ON \(inRange)
            JOIN (SELECT day_start, lead(day_start) OVER (ORDER BY day_start) AS day_end FROM unnest($4::int8[]) AS day_start) AS d
            ON s.ts >= d.day_start AND s.ts < d.day_end
            """
        for (table, bucketed) in [("hourly_rollups", hourly), ("daily_rollups", daily)] {
            var binds = PostgresBindings()
            binds.append(ids)
            binds.append(froms)
            binds.append(tos)
            binds.append(dayStarts)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO \(table) (series_id, bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase)
                        SELECT series_id, bucket, count(*), sum(value ORDER BY ts), min(value), max(value),
                            min(ts), (array_agg(value ORDER BY ts))[1], max(ts), (array_agg(value ORDER BY ts DESC))[1],
                            coalesce(sum(CASE WHEN value - previous >= 0 THEN value - previous ELSE value END ORDER BY ts)
                                FILTER (WHERE previous IS NOT NULL), 0)
                        FROM (
                            SELECT series_id, ts, value, bucket, lag(value) OVER (PARTITION BY series_id, bucket ORDER BY ts) AS previous
                            FROM (\(bucketed)) AS bucketed
                        ) AS stepped
                        GROUP BY series_id, bucket
                        ON CONFLICT (series_id, bucket_start) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min,
                            max = excluded.max, first_ts = excluded.first_ts, first = excluded.first, last_ts = excluded.last_ts,
                            last = excluded.last, increase = excluded.increase
                        """, binds: binds), logger: logger)
        }
    }
}
