import Foundation
import PostgresNIO
public import VitalsCore
public import VitalsPorts

extension PostgresMetricStore {
    /// Every series named `name` (all when nil), sorted by key.
    public func series(named name: String?) async throws -> [SeriesDescriptor] {
        try await reading { connection in
            var found: [SeriesDescriptor] = []
            let rows = try await connection.query(
                "SELECT name, labels, kind, unit FROM series WHERE \(name)::text IS NULL OR name = \(name)", logger: Self.logger)
            for try await (name, labels, kind, unit) in rows.decode((String, String, String, String).self) {
                found.append(try descriptor(name: name, labels: labels, kind: kind, unit: unit))
            }
            return found.sorted { $0.key < $1.key }
        }
    }

    /// The raw samples of `key` in `period`, oldest first.
    public func samples(of key: SeriesKey, in period: Period) async throws -> [SamplePoint] {
        try await samples(of: [key], in: period)[0]
    }

    /// The raw samples of several series in `period`, in one query joining the keys given as arrays to the samples.
    public func samples(of keys: [SeriesKey], in period: Period) async throws -> [[SamplePoint]] {
        guard !keys.isEmpty else { return [] }
        let names = keys.map(\.name)
        let labels = keys.map(\.labels.canonical)
        let from = period.from.milliseconds
        let to = period.to.milliseconds
        return try await reading { connection in
            var points = [[SamplePoint]](repeating: [], count: keys.count)
            let rows = try await connection.query(
                """
                SELECT k.i, s.ts, s.value FROM unnest(\(names)::text[], \(labels)::text[]) WITH ORDINALITY AS k(name, labels, i)
                JOIN series se ON se.name = k.name AND se.labels = k.labels
                JOIN samples s ON s.series_id = se.id AND s.ts >= \(from) AND s.ts < \(to)
                ORDER BY k.i, s.ts
                """, logger: Self.logger)
            for try await (index, ms, value) in rows.decode((Int64, Int64, Double).self) {
                points[Int(index) - 1].append(SamplePoint(Timestamp(milliseconds: ms), value))
            }
            return points
        }
    }

    /// For each window, its metric's series with samples in its period, series in key order (labels bytewise, as the SQLite
    /// store orders them).
    ///
    /// A round's read of every window is thousands of index lookups on the server and as many rows to decode here: the
    /// windows are read in parts (one per core here), one statement each on its own pooled connection at once, so that the
    /// server's processes and this one's cores share the work. Each series is looked up in `samples` by its id and period: a
    /// lateral join, which plans as index lookups whatever the statistics say, with the other months' partitions pruned at
    /// each. A statement's answer comes packed, a row per window and run of ``seriesPerPackedRow`` series ids
    /// (``series(unpacking:windows:)``): decoding a row per series (10,000 in an alert round) took postgres-nio 20–25 ms of
    /// processor time (a row per sample cost more).
    public func series(in windows: [MetricWindow]) async throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, windows.count / Self.windowsPerPart))
        // Windows are dealt to the parts in turn: a round's windows come rule by rule, and rules of one kind come together,
        // so cutting the list in runs gave one part most of the range windows (the server's statements took 12 ms and
        // 36 ms in a benchmark round; dealt, each part reads both kinds).
        return try await withThrowingTaskGroup(of: (Int, [[(key: SeriesKey, points: [SamplePoint])]]).self) { tasks in
            for part in 0..<parts {
                let dealt = stride(from: part, to: windows.count, by: parts).map { windows[$0] }
                tasks.addTask { (part, try await self.readSeries(in: dealt)) }
            }
            var read = [[(key: SeriesKey, points: [SamplePoint])]](repeating: [], count: windows.count)
            for try await (part, found) in tasks {
                for (turn, series) in found.enumerated() { read[part + turn * parts] = series }
            }
            return read
        }
    }

    /// Fewer windows than twice this are read in one statement.
    static let windowsPerPart = 100

    /// At most this many series of a window come packed in one row of a statement's answer: a value holds at most 1 GB, so a
    /// row stays within it while a series' samples in the window are fewer than about a million (two years a minute apart).
    static let seriesPerPackedRow = 64

    /// ``series(in:)`` of some windows: the whole windows in one statement, those of only the newest samples in another.
    private func readSeries(in windows: [MetricWindow]) async throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        let kinds = [false, true].map { newest in windows.indices.filter { windows[$0].newestOnly == newest } }
        let read = try await reading { connection in
            var read = [[(labels: String, points: [SamplePoint])]](repeating: [], count: windows.count)
            for (newest, indices) in zip([false, true], kinds) where !indices.isEmpty {
                let names = indices.map { windows[$0].name }
                let froms = indices.map { windows[$0].period.from.milliseconds }
                let tos = indices.map { windows[$0].period.to.milliseconds }
                let points =
                    newest
                    // The newest sample, by one backward step of the primary key's index.
                    ? "SELECT int8send(ts) || float8send(value) AS points FROM samples WHERE series_id = se.id AND ts >= w.from_ts AND ts < w.to_ts ORDER BY ts DESC LIMIT 1"
                    : Self.packedPoints(where: "series_id = se.id AND ts >= w.from_ts AND ts < w.to_ts")
                // A row per window and run of series ids (``seriesPerPackedRow``), packed, its series in key order.
                let rows = try await connection.query(
                    """
                    SELECT string_agg(
                        int8send(w.i) || \(unescaped: PackedColumns.text("se.labels")) || \(unescaped: PackedColumns.bytes("s.points")), ''::bytea
                        ORDER BY se.labels COLLATE "C", se.id)
                    FROM unnest(\(names)::text[], \(froms)::int8[], \(tos)::int8[]) WITH ORDINALITY AS w(name, from_ts, to_ts, i)
                    JOIN series se ON se.name = w.name
                    CROSS JOIN LATERAL (\(unescaped: points)) s
                    WHERE s.points IS NOT NULL
                    GROUP BY w.i, se.id / \(unescaped: String(Self.seriesPerPackedRow))
                    """, logger: Self.logger)
                for try await packed in rows.decode(ByteBuffer.self) {
                    for (index, labels, points) in try series(unpacking: packed, windows: indices.count) {
                        read[indices[index - 1]].append((labels, points))
                    }
                }
            }
            // A window whose series came in several rows is put in key order: they share its name, and their labels' texts
            // are unique and compare bytewise, as `COLLATE "C"` compares them.
            let precedes = { (a: (labels: String, points: [SamplePoint]), b: (labels: String, points: [SamplePoint])) in
                a.labels.utf8.lexicographicallyPrecedes(b.labels.utf8)
            }
            return read.map { found in zip(found, found.dropFirst()).allSatisfy(precedes) ? found : found.sorted(by: precedes) }
        }
        return try zip(windows, read).map { window, found in
            try found.map { series in (key: SeriesKey(window.name, try labels(series.labels, of: window.name)), points: series.points) }
        }
    }

    /// The newest sample strictly before `instant`: the raw one, or the last of an hourly rollup when retention removed the
    /// raw samples.
    public func lastSample(of key: SeriesKey, before instant: Timestamp) async throws -> SamplePoint? {
        try await lastSamples(of: [key], before: instant)[0]
    }

    /// The newest samples of several series strictly before `instant`, in one query.
    public func lastSamples(of keys: [SeriesKey], before instant: Timestamp) async throws -> [SamplePoint?] {
        guard !keys.isEmpty else { return [] }
        let statement = LastSamples(names: keys.map(\.name), labels: keys.map(\.labels.canonical), before: instant.milliseconds)
        return try await reading { connection in
            var newest = [SamplePoint?](repeating: nil, count: keys.count)
            for try await (index, ms, value) in try await connection.execute(statement, logger: Self.logger) {
                newest[Int(index) - 1] = SamplePoint(Timestamp(milliseconds: ms), value)
            }
            return newest
        }
    }

    /// For each series (by its position in the arrays, from 1), the newest raw sample and the newest hourly rollup's last
    /// one before `$3`, whichever is newer. Each is the first row of an index read backwards from `$3` (a rollup's last
    /// sample is in its hour, so `bucket_start < $3` leaves none out): ordering all of a series' rows by time instead reads
    /// and sorts every sample before `$3`. Prepared once per connection.
    struct LastSamples: PostgresPreparedStatement {
        static let name = "vitals_last_sample"
        static let sql = """
            SELECT k.i, c.ts, c.value FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(name, labels, i)
            JOIN series se ON se.name = k.name AND se.labels = k.labels
            CROSS JOIN LATERAL (
                SELECT ts, value FROM (
                    (SELECT s.ts, s.value FROM samples s WHERE s.series_id = se.id AND s.ts < $3 ORDER BY s.ts DESC LIMIT 1)
                    UNION ALL
                    (SELECT h.last_ts, h.last FROM hourly_rollups h
                     WHERE h.series_id = se.id AND h.bucket_start < $3 AND h.last_ts < $3 ORDER BY h.bucket_start DESC LIMIT 1)
                ) AS candidates ORDER BY ts DESC LIMIT 1
            ) AS c
            """
        typealias Row = (Int64, Int64, Double)

        let names: [String]
        let labels: [String]
        let before: Int64

        func makeBindings() -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 3)
            bindings.append(names)
            bindings.append(labels)
            bindings.append(before)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// The series named `name` with a sample in `period`, raw or (past retention) recorded in an hourly rollup.
    public func activeSeries(named name: String, in period: Period) async throws -> [SeriesKey] {
        let from = period.from.milliseconds
        let to = period.to.milliseconds
        return try await reading { connection in
            var keys: [SeriesKey] = []
            let rows = try await connection.query(
                """
                SELECT labels FROM series WHERE name = \(name) AND (
                    EXISTS (SELECT 1 FROM samples WHERE series_id = series.id AND ts >= \(from) AND ts < \(to))
                    OR EXISTS (
                        SELECT 1 FROM hourly_rollups WHERE series_id = series.id AND bucket_start >= \(from) - 3600000 AND bucket_start < \(to)
                        AND ((bucket_start >= \(from) AND bucket_start + 3600000 <= \(to)) OR (first_ts >= \(from) AND first_ts < \(to))
                            OR (last_ts >= \(from) AND last_ts < \(to)))))
                """, logger: Self.logger)
            for try await text in rows.decode(String.self) { keys.append(SeriesKey(name, try labels(text, of: name))) }
            return keys.sorted()
        }
    }

    /// Deletes raw samples older than `now - retention` (whole months by dropping their partitions); rollups stay.
    @discardableResult
    public func applyRetention(now: Timestamp) async throws -> Int {
        try await dropSamples(before: now.subtracting(retention).milliseconds)
    }

    /// Nothing to do: PostgreSQL checkpoints by itself.
    public func checkpoint() async throws {}

    func labels(_ text: String, of name: String) throws -> Labels {
        guard let labels = Labels(canonical: text) else {
            throw PostgresStoreError(database: database, message: "series \(name) has labels '\(text)' that are not in canonical form")
        }
        return labels
    }

    func descriptor(name: String, labels text: String, kind: String, unit: String) throws -> SeriesDescriptor {
        guard let kind = MetricKind(rawValue: kind), let unit = MetricUnit(rawValue: unit) else {
            throw PostgresStoreError(database: database, message: "series \(name) has kind '\(kind)' or unit '\(unit)' this build does not know")
        }
        return SeriesDescriptor(SeriesKey(name, try labels(text, of: name)), kind: kind, unit: unit)
    }

    /// One series' samples matching `condition` as one `bytea` (`points`), each sample its time and value in 8 bytes each,
    /// big-endian (`int8send`, `float8send`), oldest first; decoded by ``points(unpacking:)``.
    ///
    /// Decoding was the read's cost, not the query: postgres-nio took 45–63 ms of this process's processor time to decode
    /// 10,000 series as two arrays each (`int8[]`, `float8[]`), and takes 26 ms for these bytes, the labels included (an
    /// alert round's read of every window: 72–90 → 58–62 ms). The rows are sorted once (by the primary key's index scan,
    /// which needs no sort) and aggregated in that order: an aggregate directly over a sorted subquery, with no join at its
    /// level, takes the rows in its order. `array_agg(ts ORDER BY ts)` sorted each aggregate's input on its own in
    /// PostgreSQL 15, two sorts per series, a fifth of the server's time for 5,000 series.
    static func packedPoints(where condition: String) -> String {
        "SELECT string_agg(int8send(ts) || float8send(value), ''::bytea) AS points FROM (SELECT ts, value FROM samples WHERE \(condition) ORDER BY ts) AS sorted"
    }

    /// The series of one row of a ``series(in:)`` statement's answer: for each, its window's position among the statement's
    /// `windows` (from 1) in 8 bytes (big-endian), then its labels' text and its samples (``packedPoints(where:)``) as
    /// ``PackedColumns``. Anything else (a field cut short or NULL, a position out of range, bytes left over) throws: a series
    /// dropped without a word would resolve its alerts.
    func series(unpacking packed: ByteBuffer, windows: Int) throws -> [(window: Int, labels: String, points: [SamplePoint])] {
        var buffer = packed
        var series: [(window: Int, labels: String, points: [SamplePoint])] = []
        while buffer.readableBytes > 0 {
            guard let window = buffer.readInteger(as: Int64.self), window >= 1, window <= windows,
                let labels = buffer.readPackedField() ?? nil, let points = buffer.readPackedField() ?? nil, points.readableBytes % 16 == 0
            else {
                throw PostgresStoreError(
                    database: database, message: "the samples of \(windows) windows came back in a layout this build cannot read")
            }
            series.append((Int(window), String(buffer: labels), Self.points(unpacking: points)))
        }
        return series
    }

    /// The samples of one ``packedPoints(where:)``.
    static func points(unpacking packed: ByteBuffer) -> [SamplePoint] {
        var buffer = packed
        var points: [SamplePoint] = []
        points.reserveCapacity(buffer.readableBytes / 16)
        while let milliseconds = buffer.readInteger(as: Int64.self), let bits = buffer.readInteger(as: UInt64.self) {
            points.append(SamplePoint(Timestamp(milliseconds: milliseconds), Double(bitPattern: bits)))
        }
        return points
    }
}
