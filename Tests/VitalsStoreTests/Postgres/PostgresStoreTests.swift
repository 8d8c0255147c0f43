import Foundation
import Logging
import PostgresNIO
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

@testable import VitalsStorePostgres

/// What the PostgreSQL store does beyond the contracts: migrating once when instances start together, one lease for
/// stores sharing a database, monthly partitions dropped whole by retention, and rollups that give the SQLite store's
/// summaries for the same writes.
@Suite struct PostgresStoreTests {
    static let start = time("2026-03-02T10:00:00Z")

    /// Runs `body` with a fresh database and a way to open stores on it.
    func withDatabase(_ body: (PostgresStoreConfiguration) async throws -> Void) async throws {
        try await body(freshDatabase(in: PostgresTestCluster.shared()))
    }

    @Test func tenInstancesStartingTogetherMigrateOnce() async throws {
        try await withDatabase { database in
            let stores = try await withThrowingTaskGroup(of: PostgresMetricStore.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(400)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(stores.count == 10)
            // Each version applied once, in order, by one of them.
            #expect(
                try await query(database, "SELECT version FROM schema_migrations ORDER BY version", as: Int.self)
                    == Array(1...PostgresSchema.currentVersion))
            try await stores[0].write([Sample("m", [:], kind: .gauge, unit: .count, at: Self.start, value: 1)])
            #expect(try await stores[9].samples(of: SeriesKey("m", [:]), in: Period(from: Self.start, to: Self.start.adding(.minutes(1)))).count == 1)
        }
    }

    /// A database of version 5 keeps its alert state through version 6, which leaves half of each page of the alert tables
    /// free for the rounds' updates: the rows are written again onto such pages.
    @Test func aDatabaseOfVersion5KeepsItsAlertStateWithRoomForUpdates() async throws {
        try await withDatabase { database in
            let statements =
                Self.schema(ofVersion: 5) + [
                    "INSERT INTO metadata (key, value) VALUES ('day_time_zone', '\(berlin.identifier)')",
                    "INSERT INTO alert_rules (group_name, alert, evaluated_at) SELECT 'api', 'Rule' || n, 7 FROM generate_series(1, 400) n",
                    """
                    INSERT INTO alert_instances (group_name, alert, labels, phase, active_at, firing_notified, value)
                    SELECT 'api', 'Rule' || n, 'shard="' || s || '"', 'pending', 7, false, n FROM generate_series(1, 400) n, generate_series(1, 3) s
                    """,
                ]
            for statement in statements { _ = try await query(database, statement, as: Int.self) }
            let store = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(400))
            defer { store.close() }
            let states = try await store.alertStates()
            #expect(states.count == 400)
            #expect(states[AlertRuleID(group: "api", alert: "Rule9")]?.instances.map(\.value) == [9, 9, 9])
            #expect(states.values.allSatisfy { $0.evaluatedAt == Timestamp(milliseconds: 7) && $0.instances.count == 3 })
            for table in ["alert_instances", "alert_rules"] {
                #expect(
                    try await query(database, "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = '\(table)'", as: String.self)
                        == ["fillfactor=50"])
                // No page is fuller than half (8 kB pages; the page header and line pointers aside).
                let fullest = try await query(
                    database, "SELECT max(c)::int8 FROM (SELECT count(*) AS c FROM \(table) GROUP BY (ctid::text::point)[0]) pages", as: Int64.self)
                let perPage = try await query(database, "SELECT (8192 / 2 / avg(pg_column_size(t.*)))::int8 FROM \(table) t", as: Int64.self)
                #expect(fullest[0] <= perPage[0] + 1)
            }
        }
    }

    /// A database of version 7 keeps its alert history through version 8, whose one index of transitions (unique, by time
    /// first) replaces the two of before.
    @Test func aDatabaseOfVersion7KeepsItsHistoryUnderOneIndexByTime() async throws {
        try await withDatabase { database in
            let statements =
                Self.schema(ofVersion: 7) + [
                    "INSERT INTO metadata (key, value) VALUES ('day_time_zone', '\(berlin.identifier)')",
                    """
                    INSERT INTO alert_transitions (group_name, alert, labels, kind, from_phase, to_phase, severity, value, at)
                    VALUES ('api', 'Errors', 'shard="b"', 'phase', 'pending', 'firing', 'critical', 2, 120000),
                        ('api', 'Errors', 'shard="a"', 'phase', 'inactive', 'pending', NULL, 1, 60000),
                        ('api', 'Errors', 'shard="b"', 'phase', 'inactive', 'pending', NULL, NULL, 60000)
                    """,
                ]
            try await run(database, statements)
            let store = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(400))
            defer { store.close() }
            let history = try await store.alertHistory(since: Timestamp(milliseconds: 60000))
            #expect(
                history.map { "\($0.transition.labels) \($0.transition.to) \($0.transition.at.milliseconds)" } == [
                    "{shard=\"a\"} pending 60000", "{shard=\"b\"} pending 60000", "{shard=\"b\"} firing 120000",
                ])
            #expect(
                try await query(database, "SELECT indexdef FROM pg_indexes WHERE tablename = 'alert_transitions' ORDER BY indexname", as: String.self)
                    == [
                        "CREATE UNIQUE INDEX alert_transitions_once ON public.alert_transitions USING btree (at, group_name, alert, labels, kind)",
                        "CREATE UNIQUE INDEX alert_transitions_pkey ON public.alert_transitions USING btree (id)",
                    ])
        }
    }

    @Test func twoStoresOnOneDatabaseSeeOneLease() async throws {
        try await withDatabase { database in
            let first = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(10))
            let second = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(10))
            async let a = first.acquireOrRenew(holder: "a", ttl: .seconds(30), now: Self.start)
            async let b = second.acquireOrRenew(holder: "b", ttl: .seconds(30), now: Self.start)
            let claims = try await [a, b]
            #expect(claims.filter { if case .held = $0 { true } else { false } }.count == 1)
        }
    }

    /// Instances writing into one series at once take turns, so the rollups hold every sample, as one writer would leave them.
    @Test func concurrentWritersKeepTheRollupsWhole() async throws {
        try await withDatabase { database in
            let first = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(400))
            let second = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(400))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for minute in 0..<40 {
                    let store = minute % 2 == 0 ? first : second
                    group.addTask {
                        try await store.write([Sample("m", [:], kind: .event, unit: .count, at: Self.start.adding(.minutes(Int64(minute))), value: 1)]
                        )
                    }
                }
                try await group.waitForAll()
            }
            let hour = [Self.start, Self.start.adding(.hours(1))]
            let day = [time("2026-03-02T00:00:00+01:00"), time("2026-03-03T00:00:00+01:00")]
            #expect(try await first.summaries(of: SeriesKey("m", [:]), boundaries: hour).first??.count == 40)
            #expect(try await second.summaries(of: SeriesKey("m", [:]), boundaries: day).first??.sum == 40)
        }
    }

    @Test func aDatabaseCutInAnotherTimeZoneIsRefused() async throws {
        try await withDatabase { database in
            _ = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(10))
            let error = await #expect(throws: PostgresStoreError.self) {
                _ = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(10))
            }
            #expect(error?.message.contains("Europe/Berlin") == true)
        }
    }

    @Test func samplesLiveInMonthlyPartitionsThatRetentionDropsWhole() async throws {
        try await withDatabase { database in
            let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(30))
            let times = ["2026-01-31T23:59:59Z", "2026-02-01T00:00:00Z", "2026-02-20T00:00:00Z", "2026-03-10T00:00:00Z", "2026-03-25T00:00:00Z"]
            try await store.write(times.map { Sample("m", [:], kind: .gauge, unit: .count, at: time($0), value: 1) })
            let partitions =
                "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'samples'::regclass ORDER BY 1"
            #expect(try await query(database, partitions, as: String.self) == ["samples_202601", "samples_202602", "samples_202603"])
            // 30 days before 2026-04-01 is 2026-03-02: January and February go whole, March keeps its samples after the cutoff.
            #expect(try await store.applyRetention(now: time("2026-04-01T00:00:00Z")) == 3)
            #expect(try await query(database, partitions, as: String.self) == ["samples_202603"])
            let all = Period(from: time("2026-01-01T00:00:00Z"), to: time("2026-04-01T00:00:00Z"))
            #expect(
                try await store.samples(of: SeriesKey("m", [:]), in: all).map(\.timestamp) == [
                    time("2026-03-10T00:00:00Z"), time("2026-03-25T00:00:00Z"),
                ])
            // The rollups of the dropped months stay, and a write into a dropped month makes its partition again.
            #expect(try await store.summaries(of: SeriesKey("m", [:]), boundaries: [all.from, all.to]).first??.count == 5)
            try await store.write([Sample("m", [:], kind: .gauge, unit: .count, at: time("2026-01-15T00:00:00Z"), value: 2)])
            #expect(try await query(database, partitions, as: String.self) == ["samples_202601", "samples_202603"])
        }
    }

    /// Random writes (appends, rewrites of stored times, repeated times in one batch, several series, days across a
    /// daylight-saving change) give the same summaries, last samples and raw reads on both stores, for random bucket layouts.
    @Test(arguments: [1, 2, 3] as [UInt64]) func rollupsGiveTheSQLiteStoresSummaries(seed: UInt64) async throws {
        try await withDatabase { database in
            let postgres = try await PostgresMetricStore(configuration: database, timeZone: berlin, retention: .days(4_000))
            let sqlite = try await SQLiteMetricStore.inMemory(timeZone: berlin, retention: .days(4_000))
            var random = SplitMix64(seed: seed)
            // Two weeks around the change to summer time in Berlin (2026-03-29).
            let origin = time("2026-03-22T00:00:00Z").milliseconds
            let span: Int64 = 14 * 86_400_000
            let keys = [SeriesKey("c", ["repo": "a"]), SeriesKey("c", ["repo": "b"]), SeriesKey("g", [:])]
            for _ in 0..<12 {
                let batch = (0..<Int.random(in: 1...200, using: &random)).map { _ -> Sample in
                    let key = keys.randomElement(using: &random)!
                    // Tenths are not exact in binary: a sum's last bits depend on the order of its additions, which both stores share.
                    let value = Double(Int.random(in: 0...400, using: &random)) / 10
                    let at = Timestamp(milliseconds: origin + Int64.random(in: 0..<span, using: &random) / 60_000 * 60_000)
                    return Sample(SeriesDescriptor(key, kind: key.name == "c" ? .counter : .gauge, unit: .count), at: at, value: value)
                }
                try await postgres.write(batch)
                try await sqlite.write(batch)
            }
            let everything = Period(from: Timestamp(milliseconds: origin), to: Timestamp(milliseconds: origin + span))
            for key in keys {
                #expect(try await postgres.samples(of: key, in: everything) == sqlite.samples(of: key, in: everything))
                for _ in 0..<5 {
                    var cuts = (0..<Int.random(in: 2...12, using: &random)).map { _ in origin + Int64.random(in: 0...span, using: &random) }
                    // Some boundaries on whole hours and local midnights, as reports and rules cut them.
                    cuts += LocalDays(berlin).starts(of: everything).map(\.milliseconds).filter { _ in Bool.random(using: &random) }
                    let boundaries = cuts.sorted().map { Timestamp(milliseconds: Bool.random(using: &random) ? $0 / 3_600_000 * 3_600_000 : $0) }
                        .sorted()
                    #expect(try await postgres.summaries(of: key, boundaries: boundaries) == sqlite.summaries(of: key, boundaries: boundaries))
                    let instant = boundaries[boundaries.count / 2]
                    #expect(try await postgres.lastSample(of: key, before: instant) == sqlite.lastSample(of: key, before: instant))
                }
            }
        }
    }

    /// Writes as collectors make them (each series' new samples after its stored ones, in batches of random size, a counter
    /// that resets now and then), with a rewrite of a stored time or a new series mixed in at random, give the SQLite store's
    /// rollups: the appended samples are merged into the stored rows as `SampleSummary.merging` merges, and a rewrite rebuilds
    /// the same days (`LocalDays.rebuiltRanges`), also where days start at half hours (Asia/Kolkata).
    @Test(arguments: zip([4, 5, 6, 7] as [UInt64], ["Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Asia/Kolkata"]))
    func appendedWritesGiveTheSQLiteStoresRollups(seed: UInt64, zone: String) async throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        try await withDatabase { database in
            let postgres = try await PostgresMetricStore(configuration: database, timeZone: timeZone, retention: .days(4_000))
            let sqlite = try await SQLiteMetricStore.inMemory(timeZone: timeZone, retention: .days(4_000))
            var random = SplitMix64(seed: seed)
            // Four days around the change to summer time in Berlin (2026-03-29), a sample every 7 minutes.
            let origin = time("2026-03-27T00:00:00Z").milliseconds
            let step: Int64 = 7 * 60_000
            var keys = [SeriesKey("c", ["repo": "a"]), SeriesKey("c", ["repo": "b"]), SeriesKey("g", [:])]
            var next = [SeriesKey: Int64]()
            var values = [SeriesKey: Double]()
            for batchIndex in 0..<40 {
                if batchIndex == 20 { keys.append(SeriesKey("g", ["late": "yes"])) }
                var batch: [Sample] = []
                for key in keys {
                    for _ in 0..<Int.random(in: 0...60, using: &random) {
                        let at = next[key, default: origin]
                        next[key] = at + step
                        // Counters grow and now and then reset; gauges wander. Tenths are not exact in binary: a sum's last bits
                        // depend on which days a rewrite rebuilds (folded one by one) and which keep merged rows, and so they do in both stores.
                        let previous = values[key, default: 0]
                        let value =
                            key.name == "c" && Int.random(in: 0..<25, using: &random) > 0
                            ? previous + Double(Int.random(in: 0...13, using: &random)) / 10 : Double(Int.random(in: 0...400, using: &random)) / 10
                        values[key] = value
                        batch.append(
                            Sample(
                                SeriesDescriptor(key, kind: key.name == "c" ? .counter : .gauge, unit: .count), at: Timestamp(milliseconds: at),
                                value: value))
                    }
                }
                if Int.random(in: 0..<6, using: &random) == 0, let key = keys.randomElement(using: &random), let end = next[key], end > origin {
                    // A rewrite of a stored time: that series' touched days are rebuilt from raw on both stores.
                    let at = origin + Int64.random(in: 0..<(end - origin) / step, using: &random) * step
                    batch.append(
                        Sample(
                            SeriesDescriptor(key, kind: key.name == "c" ? .counter : .gauge, unit: .count), at: Timestamp(milliseconds: at),
                            value: 1.1))
                }
                guard !batch.isEmpty else { continue }
                try await postgres.write(batch)
                try await sqlite.write(batch)
            }
            let everything = Period(from: Timestamp(milliseconds: origin), to: Timestamp(milliseconds: next.values.max()! + step))
            let hours = stride(from: everything.from.milliseconds, through: everything.to.milliseconds + 3_600_000, by: 3_600_000).map(
                Timestamp.init(milliseconds:))
            let days = LocalDays(timeZone).starts(from: everything.from, through: everything.to)
            for key in keys {
                // Hour and day buckets read the rollup rows alone; random ones mix rows and raw samples.
                #expect(try await postgres.summaries(of: key, boundaries: hours) == sqlite.summaries(of: key, boundaries: hours))
                #expect(try await postgres.summaries(of: key, boundaries: days) == sqlite.summaries(of: key, boundaries: days))
                let cuts = (0..<8).map { _ in
                    Timestamp(milliseconds: Int64.random(in: everything.from.milliseconds...everything.to.milliseconds, using: &random))
                }
                #expect(try await postgres.summaries(of: key, boundaries: cuts.sorted()) == sqlite.summaries(of: key, boundaries: cuts.sorted()))
            }
        }
    }

    /// A store's statements are prepared on a connection once and reused by every later call there: on a pool of one
    /// connection, after two writes and two reads, the session holds each statement once, by its name.
    @Test func statementsArePreparedOncePerConnection() async throws {
        try await withDatabase { base in
            var database = base
            database.maximumConnections = 1
            let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
            defer { store.close() }
            for minute in 0..<2 {
                let at = Self.start.adding(.minutes(Int64(minute)))
                // The first write appends (a new series); the second rewrites the first's sample too, so it replaces.
                try await store.write([
                    Sample("m", [:], kind: .gauge, unit: .count, at: at, value: 1),
                    Sample("m", [:], kind: .gauge, unit: .count, at: Self.start, value: 2),
                ])
                _ = try await store.summaries(of: SeriesKey("m", [:]), boundaries: [Self.start, at.adding(.hours(2))])
                _ = try await store.lastSample(of: SeriesKey("m", [:]), before: at.adding(.hours(1)))
            }
            let prepared = try await store.reading { connection in
                var names: [String] = []
                for try await name in try await connection.query("SELECT name FROM pg_prepared_statements ORDER BY name", logger: Logger(label: "t"))
                    .decode(String.self)
                {
                    names.append(name)
                }
                return names
            }
            #expect(
                prepared == [
                    "vitals_insert_samples", "vitals_last_sample", "vitals_merge_daily_rollups", "vitals_merge_hourly_rollups",
                    "vitals_rebuild_daily_rollups",
                    "vitals_rebuild_hourly_rollups", "vitals_record_changes", "vitals_series_ids", "vitals_summary_layers", "vitals_upsert_series",
                ])
        }
    }

    /// The store's sessions run without the server's JIT compilation (on by default): it compiled an alert round's read of
    /// every window for 120–340 ms, longer than the read ran. And the server ends a transaction whose process stopped inside
    /// it after 10 s, so a leader stopped while renewing its lease cannot keep standbys from taking over.
    @Test func sessionsRunWithoutJITAndEndTransactionsLeftWaiting() async throws {
        try await withDatabase { database in
            let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
            defer { store.close() }
            let settings = try await store.reading { connection in
                var values: [String] = []
                for name in ["jit", "idle_in_transaction_session_timeout"] {
                    for try await value in try await connection.query("SELECT current_setting(\(name))", logger: Logger(label: "t")).decode(
                        String.self)
                    {
                        values.append(value)
                    }
                }
                return values
            }
            #expect(settings == ["off", "10s"])
        }
    }

    /// A call after the server ended the pool's connections (a restart, a failover, `pg_terminate_backend`) returns: a
    /// connection that has closed is not used (postgres-nio loses a statement sent on one, and its caller waited forever,
    /// within 1 to 18 rounds of this), and one whose end is still on its way fails its call with the server's reason. Each
    /// round, a read or a write succeeds once the pool's dead connections are gone.
    @Test(.timeLimit(.minutes(1))) func callsAfterTheServerEndedThePoolsConnectionsReturn() async throws {
        try await withDatabase { base in
            var database = base
            database.maximumConnections = 3
            let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
            defer { store.close() }
            let key = SeriesKey("m", [:])
            for round in 0..<30 {
                let at = Self.start.adding(.minutes(Int64(round)))
                async let first = store.lastSample(of: key, before: at)
                async let second = store.lastSample(of: key, before: at)
                _ = try await (first, second)
                let ended = try await query(
                    database,
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    as: Int64.self)
                #expect(ended.first ?? 0 > 0)
                var failures: [String] = []
                var succeeded = false
                // Each dead connection fails at most one call.
                for _ in 0...database.maximumConnections where !succeeded {
                    do {
                        if round.isMultiple(of: 2) {
                            try await store.write([Sample("m", [:], kind: .gauge, unit: .count, at: at, value: Double(round))])
                        } else {
                            _ = try await store.lastSample(of: key, before: at.adding(.minutes(1)))
                        }
                        succeeded = true
                    } catch let error as PostgresStoreError {
                        failures.append(error.message)
                    }
                }
                #expect(succeeded, "round \(round): \(failures)")
                #expect(failures.allSatisfy { $0.contains("57P01") || $0.contains("closed") }, "round \(round): \(failures)")
            }
            let last = try await store.lastSample(of: key, before: Self.start.adding(.hours(1)))
            #expect(last?.value == 28)
        }
    }

    /// A store carries on after its server restarts (as after a failover or an upgrade): the first read after the restart
    /// returns what was written before it, and writes land, on new connections, without restarting vitals.
    @Test(.timeLimit(.minutes(2))) func aStoreCarriesOnAfterItsServerRestarts() async throws {
        let cluster = try PostgresTestCluster.start(durable: false)
        var database = try await freshDatabase(in: cluster)
        database.maximumConnections = 4
        let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
        defer { store.close() }
        let key = SeriesKey("m", [:])
        try await store.write([Sample("m", [:], kind: .gauge, unit: .count, at: Self.start, value: 1)])
        for restart in 1...3 {
            // Every connection of the pool is open and idle when the server goes down.
            try await withThrowingTaskGroup(of: SamplePoint?.self) { group in
                for _ in 0..<database.maximumConnections {
                    group.addTask { try await store.lastSample(of: key, before: Self.start.adding(.hours(1))) }
                }
                for try await point in group { #expect(point?.value == Double(restart)) }
            }
            try cluster.restart()
            #expect(try await store.lastSample(of: key, before: Self.start.adding(.hours(1)))?.value == Double(restart))
            try await store.write([Sample("m", [:], kind: .gauge, unit: .count, at: Self.start, value: Double(restart + 1))])
        }
        #expect(try await store.lastSample(of: key, before: Self.start.adding(.hours(1)))?.value == 4)
    }

    /// While the server is down, reads and writes fail within seconds, saying why as `psql` would (the pool alone kept a call
    /// waiting for a minute, then reported its own "circuit breaker tripped"), whether the pool's connections were open when
    /// it went down or had all closed; once the server is back, the store carries on with what was written before.
    @Test(.timeLimit(.minutes(1))) func callsWhileTheServerIsDownFailWithTheReasonAndCarryOnOnceItIsBack() async throws {
        let cluster = try PostgresTestCluster.start(durable: false)
        let store = try await PostgresMetricStore(configuration: try await freshDatabase(in: cluster), timeZone: utc, retention: .days(400))
        defer { store.close() }
        let key = SeriesKey("m", [:])
        let before = Self.start.adding(.hours(1))
        try await store.write([Sample("m", [:], kind: .gauge, unit: .count, at: Self.start, value: 1)])
        try cluster.stop()
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await store.lastSample(of: key, before: before) },
            { try await store.write([Sample("m", [:], kind: .gauge, unit: .count, at: Self.start.adding(.minutes(1)), value: 2)]) },
            { _ = try await store.series(named: nil) },
        ]
        for call in calls {
            let error = await #expect(throws: PostgresStoreError.self) { try await call() }
            #expect(
                error?.message == "cannot connect: Connection refused; is the server running there and accepting connections?",
                "\(String(describing: error))")
        }
        try cluster.startAgain()
        #expect(try await store.lastSample(of: key, before: before)?.value == 1)
        try await store.write([Sample("m", [:], kind: .gauge, unit: .count, at: Self.start.adding(.minutes(1)), value: 2)])
        #expect(try await store.lastSample(of: key, before: before)?.value == 2)
    }

    /// The statements that make a database of schema `version`, as a build of that version left it.
    static func schema(ofVersion version: Int) -> [String] {
        var statements = ["CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"]
        for (index, migration) in PostgresSchema.migrations.prefix(version).enumerated() {
            statements += migration + ["INSERT INTO schema_migrations (version) VALUES (\(index + 1))"]
        }
        return statements
    }

    /// The rows of a query run on its own connection, as the tests look at the schema.
    func query<Value: PostgresDecodable & Sendable>(_ database: PostgresStoreConfiguration, _ sql: String, as type: Value.Type) async throws
        -> [Value]
    {
        try await withConnection(database) { connection, logger in
            var values: [Value] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Value.self) {
                values.append(value)
            }
            return values
        }
    }

    /// Runs `statements` in one transaction on one connection, as a migration runs (a migration's temporary table lives
    /// only in it).
    func run(_ database: PostgresStoreConfiguration, _ statements: [String]) async throws {
        try await withConnection(database) { connection, logger in
            for statement in ["BEGIN"] + statements + ["COMMIT"] { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
        }
    }

    func withConnection<T>(_ database: PostgresStoreConfiguration, _ body: (PostgresConnection, Logger) async throws -> T) async throws -> T {
        let logger = Logger(label: "vitals.tests.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: database.host, port: database.port, username: database.user, password: database.password, database: database.database,
                tls: .disable),
            id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        return try await body(connection, logger)
    }
}
