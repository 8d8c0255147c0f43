import PostgresNIO
public import VitalsCore

extension PostgresMetricStore {
    /// One summary per bucket `[boundaries[i], boundaries[i+1])`, nil where the bucket has no samples.
    ///
    /// As in the SQLite store, each bucket is read in layers (daily rollups for the whole local days inside it, hourly
    /// rollups for the whole hours at either side, raw samples for the partial hours at its edges) and the layers are merged
    /// in time order, so the summary equals one of the raw samples and a bucket past retention still has one.
    public func summaries(of key: SeriesKey, boundaries: [Timestamp]) async throws -> [SampleSummary?] {
        try await summaries(of: [key], boundaries: boundaries)[0]
    }

    /// The summaries of several series over the same buckets: all layers of all buckets of all the series come from one
    /// query (a report reads each metric's series so, in one round trip).
    public func summaries(of keys: [SeriesKey], boundaries: [Timestamp]) async throws -> [[SampleSummary?]] {
        let buckets = zip(boundaries, boundaries.dropFirst()).map { ($0.milliseconds, $1.milliseconds) }
        var segments: [(bucket: Int, layer: Layer, from: Int64, to: Int64)] = []
        for (index, (from, to)) in buckets.enumerated() where from < to {
            for (layer, range) in layers(from: from, to: to) where range.lowerBound < range.upperBound {
                segments.append((index, layer, range.lowerBound, range.upperBound))
            }
        }
        var merged = [[SampleSummary?]](repeating: [SampleSummary?](repeating: nil, count: buckets.count), count: keys.count)
        guard !segments.isEmpty, !keys.isEmpty else { return merged }
        let statement = SummaryLayers(
            layers: segments.map(\.layer.rawValue), froms: segments.map(\.from), tos: segments.map(\.to), names: keys.map(\.name),
            labels: keys.map(\.labels.canonical))
        let rows = try await reading { connection in
            var read: [SummaryLayers.Row] = []
            for try await row in try await connection.execute(statement, logger: Self.logger) { read.append(row) }
            return read
        }
        for (key, segment, summary) in rows {
            let bucket = segments[segment].bucket
            merged[key][bucket] = merged[key][bucket]?.merging(summary) ?? summary
        }
        return merged
    }

    enum Layer: Int32 {
        case raw = 0
        case hourly = 1
        case daily = 2
    }

    static let hour: Int64 = 3_600_000

    /// The rows of every layer of every bucket of several series, by series and segment (each from 0) and time: raw samples
    /// one by one (they are folded in the order the SQLite store folds them), rollup rows as stored. Prepared once per
    /// connection: a report runs it twice for each metric.
    struct SummaryLayers: PostgresPreparedStatement {
        static let name = "vitals_summary_layers"
        static let sql = """
            WITH g AS (SELECT * FROM unnest($1::int4[], $2::int8[], $3::int8[]) WITH ORDINALITY AS g(layer, from_ts, to_ts, i)),
                k AS (
                    SELECT k.i, se.id FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS k(name, labels, i)
                    JOIN series se ON se.name = k.name AND se.labels = k.labels)
            SELECT k.i, g.i, s.ts, 1::int8, s.value, s.value, s.value, s.ts, s.value, s.ts, s.value, 0::float8
            FROM g, k JOIN samples s ON s.series_id = k.id WHERE g.layer = 0 AND s.ts >= g.from_ts AND s.ts < g.to_ts
            UNION ALL
            SELECT k.i, g.i, h.bucket_start, h.count, h.sum, h.min, h.max, h.first_ts, h.first, h.last_ts, h.last, h.increase
            FROM g, k JOIN hourly_rollups h ON h.series_id = k.id WHERE g.layer = 1 AND h.bucket_start >= g.from_ts AND h.bucket_start < g.to_ts
            UNION ALL
            SELECT k.i, g.i, d.bucket_start, d.count, d.sum, d.min, d.max, d.first_ts, d.first, d.last_ts, d.last, d.increase
            FROM g, k JOIN daily_rollups d ON d.series_id = k.id WHERE g.layer = 2 AND d.bucket_start >= g.from_ts AND d.bucket_start < g.to_ts
            ORDER BY 1, 2, 3
            """
        typealias Row = (key: Int, segment: Int, summary: SampleSummary)

        let layers: [Int32]
        let froms: [Int64]
        let tos: [Int64]
        let names: [String]
        let labels: [String]

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(layers)
            bindings.append(froms)
            bindings.append(tos)
            bindings.append(names)
            bindings.append(labels)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            let (key, segment, _, count, sum, min, max, firstTime, first, lastTime, last, increase) = try row.decode(
                (Int64, Int64, Int64, Int64, Double, Double, Double, Int64, Double, Int64, Double, Double).self)
            let summary = SampleSummary(
                count: Int(count), sum: sum, min: min, max: max, first: SamplePoint(Timestamp(milliseconds: firstTime), first),
                last: SamplePoint(Timestamp(milliseconds: lastTime), last), increase: increase)
            return (Int(key) - 1, Int(segment) - 1, summary)
        }
    }

    /// The layers `[from, to)` is read in, in time order: the whole local days inside it from the daily rollups, the rest by
    /// hours.
    private func layers(from: Int64, to: Int64) -> [(Layer, Range<Int64>)] {
        let firstMidnight = days.isStart(Timestamp(milliseconds: from)) ? from : days.nextStart(after: Timestamp(milliseconds: from)).milliseconds
        let lastMidnight = days.start(of: Timestamp(milliseconds: to)).milliseconds
        guard firstMidnight < lastMidnight else { return hourLayers(from: from, to: to) }
        return hourLayers(from: from, to: firstMidnight) + [(.daily, firstMidnight..<lastMidnight)] + hourLayers(from: lastMidnight, to: to)
    }

    /// The whole UTC hours inside `[from, to)` from the hourly rollups, the partial hours at its edges raw.
    private func hourLayers(from: Int64, to: Int64) -> [(Layer, Range<Int64>)] {
        guard from < to else { return [] }
        let floor = { (ms: Int64) in ms - ((ms % Self.hour) + Self.hour) % Self.hour }
        let firstHour = floor(from) == from ? from : floor(from) + Self.hour
        let lastHour = floor(to)
        guard firstHour < lastHour else { return [(.raw, from..<to)] }
        return [(.raw, from..<firstHour), (.hourly, firstHour..<lastHour), (.raw, lastHour..<to)]
    }
}
