import PostgresNIO
import VitalsCore

// The statements of a write. Each is prepared on a connection the first time it runs there and reused by every later write
// on that connection (postgres-nio keeps the prepared names per connection), so the server parses and plans it once.
// Names are given (the server cuts names at 63 bytes, which would make the generic ones' default names collide).

/// The points one write gives a series, in the order given, and its descriptor (the last one given). Gathered with one
/// look-up a sample: a write's samples mostly come interleaved across series, and hashing a series key costs more than
/// anything else done with a sample before it is sent.
struct SeriesPoints {
    private(set) var descriptor: SeriesDescriptor
    private var given: [(key: Int64, value: Double)] = []

    init(_ descriptor: SeriesDescriptor) {
        self.descriptor = descriptor
    }

    mutating func add(_ sample: Sample) {
        descriptor = sample.series
        given.append((sample.timestamp.milliseconds, sample.value.withPositiveZero))
    }

    /// The points by time; of points at one time the last given, as a second write would leave it.
    var inTimeOrder: [(key: Int64, value: Double)] {
        if zip(given, given.dropFirst()).allSatisfy({ $0.key < $1.key }) { return given }
        var points: [(key: Int64, value: Double)] = []
        // The sort is stable: of points at one time, the last given comes last and is kept.
        for point in given.sorted(by: { $0.key < $1.key }) {
            if points.last?.key == point.key { points[points.count - 1] = point } else { points.append(point) }
        }
        return points
    }
}

/// The columns of samples to write, one row per point: array parameters for `unnest`.
struct PointColumns {
    var seriesIDs: [Int64] = []
    var times: [Int64] = []
    var values: [Double] = []

    /// Adds the points of one series, in time order.
    mutating func append(_ points: [(key: Int64, value: Double)], of seriesID: Int64) {
        seriesIDs.append(contentsOf: repeatElement(seriesID, count: points.count))
        times.append(contentsOf: points.lazy.map(\.key))
        values.append(contentsOf: points.lazy.map(\.value))
    }

    func bind(into bindings: inout PostgresBindings) {
        bindings.append(seriesIDs)
        bindings.append(times)
        bindings.append(values)
    }
}

/// Creates the rows of new series and updates the kind and unit of those whose changed; locks every row it meets.
struct UpsertSeries: PostgresPreparedStatement {
    static let name = "vitals_upsert_series"
    static let sql = """
        INSERT INTO series (name, labels, kind, unit) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
        ON CONFLICT (name, labels) DO UPDATE SET kind = excluded.kind, unit = excluded.unit
        WHERE (series.kind, series.unit) IS DISTINCT FROM (excluded.kind, excluded.unit)
        """
    typealias Row = ()

    let names: [String]
    let labels: [String]
    let kinds: [String]
    let units: [String]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(names)
        bindings.append(labels)
        bindings.append(kinds)
        bindings.append(units)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// The position (from 1), id and newest stored sample time of each series named by the arrays, and whether it has rollup
/// rows (which a series keeps when retention dropped all its samples).
struct SeriesIDs: PostgresPreparedStatement {
    static let name = "vitals_series_ids"
    static let sql = """
        SELECT k.i, s.id, (SELECT max(ts) FROM samples WHERE series_id = s.id), EXISTS (SELECT FROM hourly_rollups WHERE series_id = s.id)
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(name, labels, i) JOIN series s ON s.name = k.name AND s.labels = k.labels
        """
    typealias Row = (Int64, Int64, Int64?, Bool)

    let names: [String]
    let labels: [String]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(names)
        bindings.append(labels)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Inserts the points, replacing the value
/// of a stored sample of the same series and time. (Points that cannot meet one go in by ``SampleCopy``.)
struct InsertSamples: PostgresPreparedStatement {
    static let name = "vitals_insert_samples"
    static let sql = """
        INSERT INTO samples (series_id, ts, value) SELECT * FROM unnest($1::int8[], $2::int8[], $3::float8[])
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value
        """
    typealias Row = ()

    let points: PointColumns

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        points.bind(into: &bindings)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// Records the write in the write history (`samplesWritten(named:since:)`): a row per series, stamped with the write's
/// transaction id.
struct RecordChanges: PostgresPreparedStatement {
    static let name = "vitals_record_changes"
    static let sql = """
        INSERT INTO sample_changes (write_xid, series_id, first_ts, last_ts)
        SELECT (SELECT pg_current_xact_id()::text::int8), * FROM unnest($1::int8[], $2::int8[], $3::int8[])
        """
    typealias Row = ()

    /// Each series the write set samples of, with the first and last time it set.
    let spans: [(seriesID: Int64, first: Int64, last: Int64)]

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(spans.map(\.seriesID))
        bindings.append(spans.map(\.first))
        bindings.append(spans.map(\.last))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// A rollup table: how a sample's bucket in it is found.
protocol RollupTable {
    static var table: String { get }
    /// Selects `series_id, ts, value, bucket` from `source` (which names its rows `s`); `$4` is the write's local midnights.
    static func bucketed(_ source: String) -> String
    static var usesDayStarts: Bool { get }
    /// The condition on `s.ts` that reads what a rebuild of `[r.from_ts, r.to_ts)` (whole local days) needs.
    static var rebuiltTimes: String { get }
}

enum Hourly: RollupTable {
    static let table = "hourly_rollups"
    static func bucketed(_ source: String) -> String {
        "SELECT s.series_id, s.ts, s.value, s.ts - ((s.ts % 3600000) + 3600000) % 3600000 AS bucket FROM \(source)"
    }
    static let usesDayStarts = false
    /// The whole UTC hours the days touch: where the zone's offset is not whole hours, the first and last straddle the
    /// days' ends, and are rebuilt from all their samples.
    static let rebuiltTimes = """
        s.ts >= r.from_ts - ((r.from_ts % 3600000) + 3600000) % 3600000
        AND s.ts < r.to_ts + (3600000 - ((r.to_ts % 3600000) + 3600000) % 3600000) % 3600000
        """
}

enum Daily: RollupTable {
    static let table = "daily_rollups"
    static func bucketed(_ source: String) -> String {
        """
        SELECT s.series_id, s.ts, s.value, d.day_start AS bucket FROM \(source)
        JOIN (SELECT day_start, lead(day_start) OVER (ORDER BY day_start) AS day_end FROM unnest($4::int8[]) AS day_start) AS d
        ON s.ts >= d.day_start AND s.ts < d.day_end
        """
    }
    static let usesDayStarts = true
    static let rebuiltTimes = "s.ts >= r.from_ts AND s.ts < r.to_ts"
}

/// The series and local days a rebuild reads.
struct RebuildRanges {
    let seriesIDs: [Int64]
    let froms: [Int64]
    let tos: [Int64]
    let dayStarts: [Int64]
}

/// Recomputes the rows of `Table` from the raw samples of each series in `[from, to)` (`$1` series, `$2` from, `$3` to),
/// aggregated in the database: each bucket's values in time order (as the SQLite store folds them), a drop between
/// consecutive samples counting as a counter reset, added as Swift adds (`ieee_sum`, `counter_step`: schema version 7), so
/// a sum past the range of a double is infinite as there; the increase is added from 0 as `SampleSummary` adds it (`0 +`
/// makes a −0 sum of steps 0). Replaces the stored rows.
struct RebuildRollups<Table: RollupTable>: PostgresPreparedStatement {
    static var name: String { "vitals_rebuild_\(Table.table)" }
    static var sql: String {
        """
        INSERT INTO \(Table.table) (series_id, bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase)
        SELECT series_id, bucket, count(*), ieee_sum(value ORDER BY ts), min(value), max(value),
            min(ts), (array_agg(value ORDER BY ts))[1], max(ts), (array_agg(value ORDER BY ts DESC))[1],
            0 + coalesce(ieee_sum(counter_step(value, previous) ORDER BY ts) FILTER (WHERE previous IS NOT NULL), 0)
        FROM (
            SELECT series_id, ts, value, bucket, lag(value) OVER (PARTITION BY series_id, bucket ORDER BY ts) AS previous
            FROM (\(Table.bucketed(
                """
                samples s JOIN unnest($1::int8[], $2::int8[], $3::int8[]) AS r(series_id, from_ts, to_ts)
                ON s.series_id = r.series_id AND \(Table.rebuiltTimes)
                """))) AS bucketed
        ) AS stepped
        GROUP BY series_id, bucket
        ON CONFLICT (series_id, bucket_start) DO UPDATE SET count = excluded.count, sum = excluded.sum, min = excluded.min,
            max = excluded.max, first_ts = excluded.first_ts, first = excluded.first, last_ts = excluded.last_ts,
            last = excluded.last, increase = excluded.increase
        """
    }
    typealias Row = ()

    let ranges: RebuildRanges

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(ranges.seriesIDs)
        bindings.append(ranges.froms)
        bindings.append(ranges.tos)
        if Table.usesDayStarts { bindings.append(ranges.dayStarts) }
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// Bucket summaries of appended samples, column by column.
struct RollupRows {
    var seriesIDs: [Int64] = []
    var starts: [Int64] = []
    var counts: [Int64] = []
    var sums: [Double] = []
    var mins: [Double] = []
    var maxs: [Double] = []
    var firstTimes: [Int64] = []
    var firsts: [Double] = []
    var lastTimes: [Int64] = []
    var lasts: [Double] = []
    var increases: [Double] = []

    var isEmpty: Bool { seriesIDs.isEmpty }

    mutating func append(_ summary: SampleSummary, seriesID: Int64, bucket: Int64) {
        seriesIDs.append(seriesID)
        starts.append(bucket)
        counts.append(Int64(summary.count))
        sums.append(summary.sum)
        mins.append(summary.min)
        maxs.append(summary.max)
        firstTimes.append(summary.first.timestamp.milliseconds)
        firsts.append(summary.first.value)
        lastTimes.append(summary.last.timestamp.milliseconds)
        lasts.append(summary.last.value)
        increases.append(summary.increase)
    }
}

/// Merges the summaries of samples later than every stored one of their series into the rows of `Table`: a bucket's stored
/// row (only the first bucket of a series can have one) is merged with the new summary as `SampleSummary.merging` merges
/// a summary with a later one, in the same order of operations and with the same IEEE additions (`ieee_add`,
/// `merged_increase`: schema version 7), so the result is the SQLite store's bit for bit.
struct MergeRollups<Table: RollupTable>: PostgresPreparedStatement {
    static var name: String { "vitals_merge_\(Table.table)" }
    static var sql: String {
        """
        INSERT INTO \(Table.table) AS r (series_id, bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase)
        SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[], $4::float8[], $5::float8[], $6::float8[], $7::int8[], $8::float8[],
            $9::int8[], $10::float8[], $11::float8[])
        ON CONFLICT (series_id, bucket_start) DO UPDATE SET count = r.count + excluded.count, sum = ieee_add(r.sum, excluded.sum),
            min = least(r.min, excluded.min), max = greatest(r.max, excluded.max), last_ts = excluded.last_ts, last = excluded.last,
            increase = merged_increase(r.increase, excluded.increase, r.last, excluded.first)
        """
    }
    typealias Row = ()

    let rows: RollupRows

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 11)
        bindings.append(rows.seriesIDs)
        bindings.append(rows.starts)
        bindings.append(rows.counts)
        bindings.append(rows.sums)
        bindings.append(rows.mins)
        bindings.append(rows.maxs)
        bindings.append(rows.firstTimes)
        bindings.append(rows.firsts)
        bindings.append(rows.lastTimes)
        bindings.append(rows.lasts)
        bindings.append(rows.increases)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
