import Foundation
import Logging
import PostgresNIO
import Testing
import VitalsCore
import VitalsPorts
import VitalsStorePostgres
import VitalsTestSupport

/// Several `vitals run` processes on one PostgreSQL database (the test process's private cluster): one leads, the others
/// wait; a killed leader is replaced; a leader stopped with SIGSTOP past its lease and resumed cannot write. The lease's
/// TTL is shortened with the hidden `--lease-ttl`; nothing waits for real time but for what the daemons log.
@Suite(.serialized) struct PostgresRunCommandTests {
    typealias Daemon = RunCommandTests.Daemon

    /// A new database: its URL for `--store` (the password goes in `PGPASSWORD`), and a store on it for the test's reads.
    struct Database {
        let cluster: PostgresTestCluster
        let name: String
        var url: String { "postgres://\(cluster.user)@\(cluster.host):\(cluster.port)/\(name)?sslmode=disable" }
        var environment: [String: String] { ["PGPASSWORD": cluster.password] }

        /// A new database on `cluster`, by default the test process's shared one.
        init(on cluster: PostgresTestCluster? = nil) async throws {
            if let cluster { self.cluster = cluster } else { self.cluster = try await PostgresTestCluster.shared() }
            name = try self.cluster.newDatabase()
        }

        func store() async throws -> PostgresMetricStore {
            try await PostgresMetricStore(
                configuration: PostgresStoreConfiguration(
                    host: cluster.host, port: cluster.port, database: name, user: cluster.user, password: cluster.password, tls: .disable,
                    maximumConnections: 2),
                timeZone: TimeZone(identifier: "UTC")!, retention: .days(30))
        }

        /// The values of `slow_value` in the database, oldest first.
        func slowValues(_ store: PostgresMetricStore) async throws -> [Double] {
            var values: [Double] = []
            for series in try await store.series(named: "slow_value") {
                let now = SystemClock().now()
                values += try await store.samples(of: series.key, in: Period(from: now.subtracting(.days(3)), to: now.adding(.days(1)))).map(\.value)
            }
            return values
        }
    }

    /// Writes the folder's vitals.yml (a `slow` command source running `script`, which prints the value it collects) and a
    /// schedule whose one job, `collect slow`, last ran two days ago by the store's job-run log: its daily time three hours
    /// ago is a missed run within its catch-up window, which the leader runs at once; its next time is a day away.
    static func configure(_ folder: borrowing TemporaryFolder, script: String, store: PostgresMetricStore) async throws {
        _ = try folder.write(
            "vitals.yml",
            """
            time_zone: UTC
            sources:
              - type: command
                name: slow
                argv: [sh, -c, \(String(reflecting: script))]
                metric: slow_value
                timeout: 5m
            """)
        let now = SystemClock().now()
        let time = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now.subtracting(.hours(3)).date)
        _ = try folder.write("jobs.crontab", "\(time.minute!) \(time.hour!) * * * catchup=6h collect slow\n")
        if try await store.jobRuns(source: "collect slow", limit: 1).isEmpty {
            let twoDaysAgo = now.subtracting(.days(2))
            try await store.recordJobRun(JobRun(source: "collect slow", started: twoDaysAgo, finished: twoDaysAgo, status: .ok, samplesWritten: 0))
        }
    }

    /// Two and three daemons on one database: one leads and runs the missed job once; when it is killed, a standby takes
    /// over within the short lease's expiry and runs nothing again (the log has the run), nor does any other daemon.
    @Test(arguments: [2, 3]) func severalDaemonsRunEachJobOnceAndAStandbyTakesOverFromAKilledLeader(daemons count: Int) async throws {
        let database = try await Database()
        let store = try await database.store()
        defer { store.close() }
        let folder = try TemporaryFolder()
        try await Self.configure(folder, script: "echo 1", store: store)
        let options = ["--schedule", "jobs.crontab", "--lease-ttl", "2s"]
        var daemons: [Daemon] = []
        for index in 0..<count {
            let daemon = try Daemon(options, in: folder, name: "daemon\(index)", store: database.url, environment: database.environment)
            #expect(try await daemon.waitFor(index == 0 ? "leader: holding the lease" : "standby: another daemon holds the lease"), "\(daemon.text)")
            daemons.append(daemon)
        }
        let leader = try #require(daemons.first)
        #expect(try await leader.waitFor("job finished"), "\(leader.text)")
        #expect(try await database.slowValues(store) == [1])

        leader.signal(SIGKILL)
        let killed = ContinuousClock.now
        let standbys = Array(daemons.dropFirst())
        var successor: Daemon?
        while successor == nil && ContinuousClock.now - killed < .seconds(120) {
            successor = standbys.first { $0.text.contains("leader: holding the lease epoch=2") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let takeover = ContinuousClock.now - killed
        let next = try #require(successor, "no standby took over: \(standbys.map(\.text))")
        // The lease runs out 2 s after its last renewal and a standby tries every 2/3 s, so a few seconds on an idle machine;
        // the bound allows for a loaded one. The default (30 s, tried every 10 s) takes over within 40 s
        // (LeadershipServiceTests.theStandbyTakesOverWithinAMinuteWhenTheLeaderDies).
        #expect(takeover < .seconds(60), "took over after \(takeover)")

        // A scheduler logs its shutdown only after its catch-up: the new leader decided, and ran nothing.
        next.signal(SIGTERM)
        #expect(try await next.waitForExit(), "\(next.text)")
        #expect(next.text.contains("shutting down: no new runs"), "\(next.text)")
        for daemon in standbys where daemon.process.isRunning {
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit(), "\(daemon.text)")
        }
        for daemon in standbys { #expect(daemon.process.terminationStatus == 0, "\(daemon.text)") }
        let started = daemons.map { $0.text.components(separatedBy: "job started").count - 1 }
        #expect(started.reduce(0, +) == 1, "job starts by daemon: \(started)")
        #expect(try await database.slowValues(store) == [1])
        #expect(try await store.jobRuns(source: "collect slow", limit: 10).count == 2, "the seeded run and the leader's")
    }

    /// The server restarts (`pg_ctl stop -m fast`, then `start`, as for an upgrade or a failover) under a leader and a standby, ending
    /// every connection of their pools: both carry on without a restart of their own. The leader keeps or takes back the
    /// lease, the standby keeps polling, and when the leader is then killed, the standby takes over.
    @Test func daemonsCarryOnAfterTheServerRestarts() async throws {
        let cluster = try PostgresTestCluster.start(durable: false)
        let database = try await Database(on: cluster)
        let store = try await database.store()
        defer { store.close() }
        let folder = try TemporaryFolder()
        try await Self.configure(folder, script: "echo 1", store: store)
        let options = ["--schedule", "jobs.crontab", "--lease-ttl", "2s"]
        let leader = try Daemon(options, in: folder, name: "leader", store: database.url, environment: database.environment)
        #expect(try await leader.waitFor("leader: holding the lease epoch=1"), "\(leader.text)")
        #expect(try await leader.waitFor("job finished"), "\(leader.text)")
        let standby = try Daemon(options, in: folder, name: "standby", store: database.url, environment: database.environment)
        #expect(try await standby.waitFor("standby: another daemon holds the lease"), "\(standby.text)")

        try cluster.restart()
        // The store's own read after the restart, then a few of the daemons' lease rounds (every 2/3 s).
        #expect(try await database.slowValues(store) == [1])
        try await Task.sleep(for: .seconds(3))
        #expect(leader.process.isRunning, "\(leader.text)")
        #expect(standby.process.isRunning, "\(standby.text)")

        leader.signal(SIGKILL)
        #expect(try await standby.waitFor("leader: holding the lease epoch=", timeout: .seconds(60)), "\(standby.text)")
        standby.signal(SIGTERM)
        #expect(try await standby.waitForExit(), "\(standby.text)")
        #expect(standby.process.terminationStatus == 0, "\(standby.text)")
        #expect(try await database.slowValues(store) == [1], "the job ran once: \(standby.text)")
    }

    /// The leader is stopped (SIGSTOP) while its job waits for its command, past its lease's expiry; a standby takes over
    /// (epoch 2) and runs the job itself. The stopped daemon resumes (SIGCONT) while the test holds the lease's advisory lock,
    /// so its renewal waits and its job goes on to write first: the store refuses the write by its fence, and the daemon
    /// logs why. Nothing it collected is kept.
    @Test func aLeaderStoppedPastItsLeaseAndResumedCannotWrite() async throws {
        let database = try await Database()
        let store = try await database.store()
        defer { store.close() }
        let shared = try TemporaryFolder()
        let go = shared.url.appendingPathComponent("go").path
        let first = try TemporaryFolder()
        let second = try TemporaryFolder()
        // Each daemon's job prints its own value once the test lets the commands go on.
        try await Self.configure(first, script: "while [ ! -e \(go) ]; do sleep 0.05; done; echo 1", store: store)
        try await Self.configure(second, script: "while [ ! -e \(go) ]; do sleep 0.05; done; echo 2", store: store)
        // No delivery round comes during the test (its slots are a day apart): only the renewal would notice the lost lease.
        let options = ["--schedule", "jobs.crontab", "--delivery-interval", "1d"]
        let stopped = try Daemon(options + ["--lease-ttl", "2s"], in: first, name: "first", store: database.url, environment: database.environment)
        #expect(try await stopped.waitFor("leader: holding the lease epoch=1"), "\(stopped.text)")
        #expect(try await stopped.waitFor("job started"), "\(stopped.text)")
        let successor = try Daemon(options + ["--lease-ttl", "15s"], in: second, name: "second", store: database.url, environment: database.environment)
        #expect(try await successor.waitFor("standby: another daemon holds the lease"), "\(successor.text)")

        stopped.signal(SIGSTOP)
        #expect(try await successor.waitFor("leader: holding the lease epoch=2", timeout: .seconds(60)), "\(successor.text)")
        #expect(try await successor.waitFor("job started"), "\(successor.text)")
        let lock = try await LeaseLock(database)
        stopped.signal(SIGCONT)
        FileManager.default.createFile(atPath: go, contents: nil)
        #expect(try await stopped.waitFor("write refused by its fence (leader lease epoch 1): the lease is at epoch 2 now"), "\(stopped.text)")
        #expect(try await successor.waitFor("job finished"), "\(successor.text)")
        try await lock.release()
        #expect(try await stopped.waitFor("lost the leader lease"), "\(stopped.text)")
        #expect(try await stopped.waitFor("standby: another daemon holds the lease"), "\(stopped.text)")

        #expect(try await database.slowValues(store) == [2], "only the new leader's value is kept")
        let runs = try await store.jobRuns(source: "collect slow", limit: 10)
        #expect(runs.count == 2, "the seeded run and the new leader's: \(runs)")
        #expect(!successor.text.contains("lost the leader lease"), "\(successor.text)")
    }
}

/// The advisory lock every claim of the leader lease takes (`PostgresMetricStore.leaseLock`), held by the test on a
/// connection of its own: while it is held, no daemon can renew or take the lease.
struct LeaseLock {
    static let key: Int64 = 0x7669_7461_6C73_0003
    let connection: PostgresConnection
    let logger = Logger(label: "vitals.tests.lease-lock")

    init(_ database: PostgresRunCommandTests.Database) async throws {
        connection = try await PostgresConnection.connect(
            configuration: .init(
                host: database.cluster.host, port: database.cluster.port, username: database.cluster.user, password: database.cluster.password,
                database: database.name, tls: .disable),
            id: 1, logger: logger)
        try await connection.query("SELECT pg_advisory_lock(\(Self.key))", logger: logger)
    }

    func release() async throws {
        try await connection.query("SELECT pg_advisory_unlock(\(Self.key))", logger: logger)
        try await connection.close()
    }
}
