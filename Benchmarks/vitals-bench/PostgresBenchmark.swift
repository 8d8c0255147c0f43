import Foundation
import Synchronization
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// The PostgreSQL store beside the SQLite store, in the same run, on a private cluster (issue 11's speed targets): ingest
/// through the port, `vitals report --since 30d`, an alert round, and the write rate of 1, 2 and 4 instances (processes)
/// writing into one database.
struct PostgresBenchmark {
    let folder: URL
    let utc = TimeZone(identifier: "UTC")!

    /// The parts, by the names `scripts/bench` takes after `postgres-`.
    static let parts = ["ingest", "report", "alerts", "instances"]

    func run(_ parts: [String]) async throws {
        let cluster = try PostgresTestCluster.start(durable: true)
        // The children (`vitals report`, the writer instances) read the password where vitals reads it.
        setenv("PGPASSWORD", cluster.password, 1)
        print("postgres: private cluster \(cluster.bin) on 127.0.0.1:\(cluster.port) (fsync on, synchronous_commit off); load \(load())")
        for part in parts {
            switch part {
            case "ingest": try await ingest(cluster)
            case "report": try await report(cluster)
            case "alerts": try await alerts(cluster)
            default: try await instances(cluster)
            }
        }
    }

    /// A new database on `cluster`.
    func database(_ cluster: PostgresTestCluster) throws -> PostgresStoreConfiguration {
        PostgresStoreConfiguration(
            host: cluster.host, port: cluster.port, database: try cluster.newDatabase(), user: cluster.user, password: cluster.password, tls: .disable
        )
    }

    /// The ingest benchmark's 1 M samples through each store's port, three rounds on fresh stores, the best of each.
    func ingest(_ cluster: PostgresTestCluster) async throws {
        let bench = IngestBenchmark(folder: folder)
        let samples = bench.samples()
        print("postgres-ingest: \(samples.count) samples (\(bench.seriesCount) series × \(bench.pointsPerSeries) points), batches of \(bench.batch)")
        var best = (sqlite: Double.infinity, postgres: Double.infinity)
        for round in 0..<3 {
            let sqlite = try await SQLiteMetricStore(
                path: folder.appendingPathComponent("pg-ingest-\(round).db").path, timeZone: utc, retention: .days(4000))
            best.sqlite = min(best.sqlite, try await timeIngest(samples, batch: bench.batch, into: sqlite))
            let postgres = try await PostgresMetricStore(configuration: try database(cluster), timeZone: utc, retention: .days(4000))
            best.postgres = min(best.postgres, try await timeIngest(samples, batch: bench.batch, into: postgres))
            postgres.close()
            print("  round \(round + 1): SQLite \(format(best.sqlite)) s, PostgreSQL \(format(best.postgres)) s (best so far); load \(load())")
        }
        let rates = (sqlite: Double(samples.count) / best.sqlite, postgres: Double(samples.count) / best.postgres)
        line("  SQLite store (rows + rollups)", "\(Int(rates.sqlite)) samples/s  (\(format(best.sqlite)) s)")
        line("  PostgreSQL store (rows + rollups)", "\(Int(rates.postgres)) samples/s  (\(format(best.postgres)) s)")
        line("  ratio PostgreSQL/SQLite (target ≥ 0.5)", format(rates.postgres / rates.sqlite))
    }

    func timeIngest(_ samples: [Sample], batch: Int, into store: any MetricStore) async throws -> Double {
        try await measureAsync(runs: 1) {
            for start in stride(from: 0, to: samples.count, by: batch) {
                try await store.write(Array(samples[start..<min(start + batch, samples.count)]))
            }
            try await store.checkpoint()
        }.best
    }

    /// `vitals report --since 30d --format json` (the release binary) on the report benchmark's 5.18 M samples in each store,
    /// the two stores' runs taking turns.
    func report(_ cluster: PostgresTestCluster) async throws {
        let bench = ReportBenchmark(folder: folder)
        let sqlitePath = folder.appendingPathComponent("pg-report.db").path
        let sqlite = try await SQLiteMetricStore(path: sqlitePath, timeZone: utc, retention: .days(4000))
        let configuration = try database(cluster)
        let postgres = try await PostgresMetricStore(configuration: configuration, timeZone: utc, retention: .days(4000))
        var written = 0
        let fills = (
            sqlite: try await measureAsync(runs: 1) { written = try await bench.fill(sqlite) }.best,
            postgres: try await measureAsync(runs: 1) { _ = try await bench.fill(postgres) }.best
        )
        postgres.close()
        print(
            "postgres-report: \(written) samples in each store (filled in \(format(fills.sqlite, 1)) s SQLite, \(format(fills.postgres, 1)) s PostgreSQL)"
        )
        let config = folder.appendingPathComponent("vitals.yml")
        try "time_zone: UTC\nsources: []\n".write(to: config, atomically: true, encoding: .utf8)
        let binary = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("vitals").path
        let url = "postgres://\(configuration.user)@\(configuration.host):\(configuration.port)/\(configuration.database)?sslmode=disable"
        func arguments(_ store: String) -> [String] {
            ["report", "--since", "30d", "--format", "json", "--now", bench.now.description, "--config", config.path, "--store", store]
        }
        let outputs = (
            sqlite: try runProgram(binary, arguments(sqlitePath), capture: true), postgres: try runProgram(binary, arguments(url), capture: true)
        )
        let times = try alternate(runs: 9) {
            try spawnProgram(binary, arguments(sqlitePath))
        } and: {
            try spawnProgram(binary, arguments(url))
        }
        line("  SQLite: vitals report --since 30d --format json", "\(format(times.first, 3)) s median (\(outputs.sqlite.count) bytes)")
        line("  PostgreSQL: the same", "\(format(times.second, 3)) s median (\(outputs.postgres.count) bytes)")
        line("  outputs", outputs.sqlite == outputs.postgres ? "identical" : "DIFFERENT")
        line("  ratio PostgreSQL/SQLite (target ≤ 2.0)", "\(format(times.second / times.first)); load \(load())")
    }

    /// Twelve alert rounds a minute apart (1,000 rules over 10,000 series, as the alerts benchmark) on each store, each round
    /// run on SQLite and then on PostgreSQL, then twelve daemon rounds: the whole scenario `VITALS_BENCH_PG_ALERT_RUNS` times
    /// (5 by default), each time on two fresh stores filled anew. A round that writes thousands of alerts is timed once in a
    /// scenario, and one such time varies by half between scenarios here (SQLite's second round took 31 to 106 ms), so each
    /// figure is the median of the scenarios' ratios, shown with all of them.
    func alerts(_ cluster: PostgresTestCluster) async throws {
        let environment = ProcessInfo.processInfo.environment
        let minutes = Int(environment["VITALS_BENCH_PG_ALERT_MINUTES"] ?? "") ?? 120
        let runs = max(1, Int(environment["VITALS_BENCH_PG_ALERT_RUNS"] ?? "") ?? 5)
        let bench = AlertEvaluationBenchmark(folder: folder, minutes: minutes)
        var scenarios: [(oneShot: [RoundFigures], daemon: [RoundFigures])] = []
        for run in 0..<runs { scenarios.append(try await alertScenario(bench, on: cluster, run: run)) }
        print("  one-shot rounds (each prepared afresh, as `vitals alerts evaluate` runs one), \(runs) scenario\(runs == 1 ? "" : "s"):")
        printRounds(scenarios.map(\.oneShot))
        print("  daemon rounds (one prepared round per store, a new sample per series before each round), \(runs) scenario\(runs == 1 ? "" : "s"):")
        printRounds(scenarios.map(\.daemon))
        line("  target: PostgreSQL within 2× of SQLite", "load \(load())")
    }

    /// One round's figures on both stores.
    typealias RoundFigures = (sqlite: RoundFigure, postgres: RoundFigure)

    /// One scenario of ``alerts(_:)`` on a new SQLite file and a new database: the one-shot rounds, then the daemon's.
    func alertScenario(_ bench: AlertEvaluationBenchmark, on cluster: PostgresTestCluster, run: Int) async throws -> (
        oneShot: [RoundFigures], daemon: [RoundFigures]
    ) {
        let sqlite = try await SQLiteMetricStore(
            path: folder.appendingPathComponent("pg-alerts-\(run).db").path, timeZone: utc, retention: .days(4000))
        let postgres = try await PostgresMetricStore(configuration: try database(cluster), timeZone: utc, retention: .days(4000))
        defer { postgres.close() }
        var written = 0
        let fills = (
            sqlite: try await measureAsync(runs: 1) { written = try await bench.fill(sqlite) }.best,
            postgres: try await measureAsync(runs: 1) { _ = try await bench.fill(postgres) }.best
        )
        try await sqlite.checkpoint()
        print(
            "postgres-alerts, scenario \(run + 1): \(bench.metrics * bench.seriesPerMetric) series × \(bench.minutes) 1-minute samples = \(written) samples"
                + " in each store (filled in \(format(fills.sqlite, 1)) s SQLite, \(format(fills.postgres, 1)) s PostgreSQL); load \(load())")
        let files = [try RuleFileLoader.parse(bench.rules(), file: "bench.yml")]
        var oneShot: [RoundFigures] = []
        for step in 0..<Self.alertRounds {
            let now = bench.end.adding(.minutes(Int64(step)))
            // Each round prepared afresh, as each `vitals alerts evaluate` process prepares its own (and the `alerts` benchmark):
            // a prepared round keeps what it read and committed for its next round on the same store (the daemon's case).
            let sqliteRound = try await timedRound(try AlertEvaluationRound(files: files, keepsSamples: false), on: TimedStores(sqlite), at: now)
            // As `vitals alerts evaluate` does after a round; not part of it.
            try await sqlite.checkpoint()
            oneShot.append(
                (sqliteRound, try await timedRound(try AlertEvaluationRound(files: files, keepsSamples: false), on: TimedStores(postgres), at: now)))
        }

        // The daemon's rounds (`vitals run`, the `alerts-daemon` benchmark): one prepared round per store for the whole run,
        // each round preceded by the minute's collection (a new sample for every series, written to both stores, not timed).
        let descriptors = bench.descriptors()
        let prepared = (sqlite: try AlertEvaluationRound(files: files), postgres: try AlertEvaluationRound(files: files))
        let timed = (sqlite: TimedStores(sqlite), postgres: TimedStores(postgres))
        var daemon: [RoundFigures] = []
        for step in Self.alertRounds..<(2 * Self.alertRounds) {
            let now = bench.end.adding(.minutes(Int64(step)))
            let samples = descriptors.enumerated().map { Sample($1, at: now, value: bench.value(index: $0, minute: bench.minutes - 1 + step)) }
            _ = try await sqlite.write(samples)
            try await sqlite.checkpoint()
            _ = try await postgres.write(samples)
            let sqliteRound = try await timedRound(prepared.sqlite, on: timed.sqlite, at: now)
            try await sqlite.checkpoint()
            daemon.append((sqliteRound, try await timedRound(prepared.postgres, on: timed.postgres, at: now)))
        }
        return (oneShot, daemon)
    }

    /// One alert round's time, where it went, and how many transitions it made.
    struct RoundFigure {
        let seconds: Double
        let phases: Phases
        let transitions: Int
    }

    func timedRound(_ round: AlertEvaluationRound, on timed: TimedStores, at now: Timestamp) async throws -> RoundFigure {
        timed.phases.withLock { $0 = Phases() }
        var result: AlertRoundResult?
        let seconds = try await measureAsync(runs: 1) { result = try await round.run(at: now, metrics: timed, alerts: timed) }.best
        return RoundFigure(seconds: seconds, phases: timed.phases.withLock { $0 }, transitions: result?.transitions.count ?? 0)
    }

    /// The first round, the second and the steady rounds, each as the median of the scenarios' ratios with every scenario's,
    /// and the median scenario's times and phases. The steady rounds do different work (the alerts that change differ from
    /// minute to minute), so a scenario's steady ratio is the median of each round's own (both stores did the same work in it).
    func printRounds(_ scenarios: [[RoundFigures]]) {
        let steady = scenarios.map { figures in
            Array(2..<figures.count).sorted {
                figures[$0].postgres.seconds / figures[$0].sqlite.seconds < figures[$1].postgres.seconds / figures[$1].sqlite.seconds
            }
        }
        let picks: [(title: String, index: (Int) -> Int)] = [
            ("first round", { _ in 0 }), ("second round", { _ in 1 }),
            ("steady rounds 3–\(Self.alertRounds), median ratio", { steady[$0][steady[$0].count / 2] }),
        ]
        for (title, index) in picks {
            let chosen = scenarios.indices.map { scenarios[$0][index($0)] }
            let ratios = chosen.map { $0.postgres.seconds / $0.sqlite.seconds }
            let order = ratios.indices.sorted { ratios[$0] < ratios[$1] }
            let (sqlite, postgres) = chosen[order[order.count / 2]]
            line(
                "    \(title)",
                "ratio \(format(ratios[order[order.count / 2]])) (median; each scenario: \(ratios.map { format($0) }.joined(separator: ", ")))")
            print("      median scenario: SQLite \(format(sqlite.seconds * 1000, 1)) ms, PostgreSQL \(format(postgres.seconds * 1000, 1)) ms")
            print("      SQLite: \(sqlite.phases.breakdown(total: sqlite.seconds)); \(sqlite.transitions) transitions")
            print("      PostgreSQL: \(postgres.phases.breakdown(total: postgres.seconds)); \(postgres.transitions) transitions")
        }
        let same = scenarios.joined().allSatisfy { $0.sqlite.transitions == $0.postgres.transitions }
        line("    transitions per round, SQLite = PostgreSQL", same ? "yes, in every round" : "NO")
    }

    /// The alert rounds of `postgres-alerts`: the first (all state new), the second (alerts fire) and the steady ones.
    static let alertRounds = 12

    /// Each instance's share of the instances benchmark: 50 series of its own, 4,000 points each, in writes of 5,000 samples.
    static let instanceSeries = 50
    static let instancePoints = 4_000
    static let instanceBatchPoints = 100

    /// 1, 2 and 4 processes writing into one database at once, each its own series; the rate is all samples over the time
    /// from the first start to the last end.
    func instances(_ cluster: PostgresTestCluster) async throws {
        let perInstance = Self.instanceSeries * Self.instancePoints
        print(
            "postgres-instances: each instance a process writing \(perInstance) samples (\(Self.instanceSeries) series), \(Self.instanceSeries * Self.instanceBatchPoints) a write"
        )
        let executable = Bundle.main.executableURL!.path
        var single: Double?
        for count in [1, 2, 4] {
            let configuration = try database(cluster)
            // Made once before the instances start, so that they do not all migrate (they would wait for one another).
            try await PostgresMetricStore(configuration: configuration, timeZone: utc, retention: .days(4000)).close()
            var environment = ProcessInfo.processInfo.environment
            environment["VITALS_BENCH_PG"] = "\(configuration.host) \(configuration.port) \(configuration.database) \(configuration.user)"
            let children = try (0..<count).map { index in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = ["postgres-writer", String(index)]
                process.environment = environment
                let input = Pipe()
                let output = Pipe()
                process.standardInput = input
                process.standardOutput = output
                try process.run()
                return (process, input, output)
            }
            // Every instance has connected before any writes.
            for (_, _, output) in children { _ = try readLine(output.fileHandleForReading) }
            for (_, input, _) in children { input.fileHandleForWriting.write(Data("go\n".utf8)) }
            var spans: [(start: Double, end: Double)] = []
            for (process, _, output) in children {
                let fields = try readLine(output.fileHandleForReading).split(separator: " ").compactMap { Double($0) }
                process.waitUntilExit()
                guard process.terminationStatus == 0, fields.count == 2 else {
                    throw BenchError("writer instance failed (\(process.terminationStatus))")
                }
                spans.append((fields[0], fields[1]))
            }
            let seconds = spans.map(\.end).max()! - spans.map(\.start).min()!
            let rate = Double(count * perInstance) / seconds
            single = single ?? rate
            line(
                "  \(count) instance\(count == 1 ? "" : "s")",
                "\(Int(rate)) samples/s (\(format(rate / single!))× one instance; \(format(seconds)) s); load \(load())")
        }
    }

    /// One writer instance (`vitals-bench postgres-writer INDEX`, started by ``instances(_:)``): opens the store, says
    /// "ready", waits for "go", writes, and prints when it started and ended (seconds since 1970).
    static func writer(index: Int) async throws {
        let fields = (ProcessInfo.processInfo.environment["VITALS_BENCH_PG"] ?? "").split(separator: " ").map(String.init)
        guard fields.count == 4, let port = Int(fields[1]) else { throw BenchError("VITALS_BENCH_PG is not 'host port database user'") }
        let configuration = PostgresStoreConfiguration(
            host: fields[0], port: port, database: fields[2], user: fields[3], password: ProcessInfo.processInfo.environment["PGPASSWORD"],
            tls: .disable)
        let store = try await PostgresMetricStore(configuration: configuration, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        defer { store.close() }
        let descriptors = (0..<instanceSeries).map {
            SeriesDescriptor(SeriesKey("bench_instance_metric", ["instance": String(index), "series": String($0)]), kind: .gauge, unit: .count)
        }
        let origin = RFC3339.parse("2026-08-01T00:00:00Z")!.milliseconds
        // Unbuffered, so the parent reads each line as soon as it is written.
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        _ = Swift.readLine()
        let start = Date().timeIntervalSince1970
        for first in stride(from: 0, to: instancePoints, by: instanceBatchPoints) {
            var samples: [Sample] = []
            samples.reserveCapacity(instanceBatchPoints * descriptors.count)
            for point in first..<min(first + instanceBatchPoints, instancePoints) {
                for (series, descriptor) in descriptors.enumerated() {
                    samples.append(Sample(descriptor, at: Timestamp(milliseconds: origin + Int64(point) * 60_000), value: Double(point * 7 + series)))
                }
            }
            try await store.write(samples)
        }
        FileHandle.standardOutput.write(Data("\(start) \(Date().timeIntervalSince1970)\n".utf8))
    }

    /// Runs `first` and `second` in turn `runs` times each; their median wall times in seconds.
    func alternate(runs: Int, _ first: () throws -> Void, and second: () throws -> Void) throws -> (first: Double, second: Double) {
        var times: (first: [Double], second: [Double]) = ([], [])
        for _ in 0..<runs {
            times.first.append(try measure(runs: 1, first).best)
            times.second.append(try measure(runs: 1, second).best)
        }
        return (times.first.sorted()[runs / 2], times.second.sorted()[runs / 2])
    }

    /// One line of a child's output.
    func readLine(_ handle: FileHandle) throws -> String {
        var bytes = Data()
        while let byte = try handle.read(upToCount: 1), let first = byte.first, first != UInt8(ascii: "\n") { bytes.append(first) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The load averages over 1, 5 and 15 minutes, as `uptime` prints them.
    func load() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
    }
}
