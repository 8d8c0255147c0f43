import Foundation
import Testing
import VitalsTestSupport

/// `--store postgres://…` and `store: {postgres: {url_env: …}}`: real `vitals` processes on the test process's private
/// PostgreSQL cluster (`docs/postgres.md`).
@Suite struct PostgresStoreCommandTests {
    let now = "2026-11-25T12:00:00Z"

    func repository() throws -> GitRepository {
        let repository = try GitRepository(name: "api")
        for (index, (time, author)) in [
            ("2026-11-19T10:00:00+00:00", GitRepository.Person.ana), ("2026-11-23T10:00:00+00:00", .bo), ("2026-11-24T09:00:00+00:00", .ana),
            ("2026-11-25T08:00:00+00:00", .bo),
        ].enumerated() {
            try repository.write("a.txt", "\(index)\n")
            try repository.commit("change \(index)", at: time, by: author)
        }
        return repository
    }

    /// The report's JSON with each source's `last_run_at` masked: it is `--now` plus the run's own wall-clock milliseconds.
    func report(_ store: [String], in repository: GitRepository, environment: [String: String]) throws -> String {
        let result = try VitalsProcess.run(
            ["report", "--since", "7d", "--format", "json", "--no-collect", "--now", now] + store, in: repository.url, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.replacing(/"last_run_at" : "[^"]*"/, with: #""last_run_at" : "…""#)
    }

    @Test func theReportFromPostgreSQLIsTheReportFromSQLite() async throws {
        let cluster = try await PostgresTestCluster.shared()
        let url = "postgres://\(cluster.user)@\(cluster.host):\(cluster.port)/\(try cluster.newDatabase())?sslmode=disable"
        let repository = try repository()
        let environment = ["PGPASSWORD": cluster.password]
        for store in [["--store", url], []] {
            let collect = try VitalsProcess.run(["collect", "--now", now] + store, in: repository.url, environment: environment)
            #expect(collect.status == 0, "\(collect.stderr)")
        }
        let postgres = try report(["--store", url], in: repository, environment: environment)
        let sqlite = try report([], in: repository, environment: environment)
        #expect(postgres.contains("git_commits"), "\(postgres)")
        #expect(postgres == sqlite, "\(zip(postgres.split(separator: "\n"), sqlite.split(separator: "\n")).filter { $0 != $1 })")
        #expect(postgres.contains(#""last_run_at" : "…""#))
    }

    @Test func theConfigurationNamesTheVariableHoldingTheURL() async throws {
        let cluster = try await PostgresTestCluster.shared()
        let database = try cluster.newDatabase()
        let repository = try repository()
        try repository.write("vitals.yml", "store:\n  postgres:\n    url_env: VITALS_DATABASE_URL\n")
        let environment = [
            "VITALS_DATABASE_URL": "postgres://\(cluster.user):\(cluster.password)@\(cluster.host):\(cluster.port)/\(database)?sslmode=disable"
        ]
        let collect = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url, environment: environment)
        #expect(collect.status == 0, "\(collect.stderr)")
        let query = try VitalsProcess.run(["query", "git_commits", "--since", "7d", "--now", now], in: repository.url, environment: environment)
        #expect(query.status == 0, "\(query.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repository.url.appendingPathComponent(".vitals/vitals.db").path))
    }

    /// Every command that reads or writes the store runs on PostgreSQL.
    @Test func everyStoreCommandRunsOnPostgreSQL() async throws {
        let cluster = try await PostgresTestCluster.shared()
        let url = "postgres://\(cluster.user)@\(cluster.host):\(cluster.port)/\(try cluster.newDatabase())?sslmode=disable"
        let repository = try repository()
        try repository.write("rules/commits.yml", "groups:\n  - name: g\n    rules:\n      - alert: Busy\n        expr: git_commits > 0\n")
        let environment = ["PGPASSWORD": cluster.password]
        let commands: [[String]] = [
            ["collect", "git"], ["query", "git_commits", "--since", "7d"], ["schedule"], ["alerts", "evaluate"], ["alerts", "list"],
            ["alerts", "history"], ["alerts", "silence", "--match", "alertname=x", "--for", "1h", "--comment", "test", "--author", "ana"],
            ["alerts", "silences"], ["outbox", "list"], ["outbox", "flush"], ["housekeeping"],
        ]
        for command in commands {
            let result = try VitalsProcess.run(command + ["--now", now, "--store", url], in: repository.url, environment: environment)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: repository.url.appendingPathComponent(".vitals").path))
    }

    @Test func aPasswordInStoreIsRefusedWithoutBeingRepeated() throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(["query", "--store", "postgres://ana:hunter2@127.0.0.1:1/vitals"], in: folder.url)
        #expect(result.status != 0)
        #expect(
            result.stderr
                == "vitals: --store: a PostgreSQL URL here must not hold a password; set PGPASSWORD, or put the whole URL in an "
                + "environment variable named by store: {postgres: {url_env: NAME}}\n")
    }

    @Test func aPasswordInTheConfigurationIsRefusedAtItsPlace() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "time_zone: UTC\nstore: postgres://ana:hunter2@127.0.0.1/vitals\n")
        let result = try VitalsProcess.run(["query"], in: folder.url)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("vitals.yml:2:8: store: a PostgreSQL URL here must not hold a password; put it in PGPASSWORD"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
    }

    /// Nothing listens on port 1 of the loopback address: the connection is refused at once.
    @Test(arguments: [true, false])
    func anUnreachableServerIsOneLineNamingTheDatabaseNotThePassword(configured: Bool) throws {
        let folder = try TemporaryFolder()
        var environment = ["PGPASSWORD": "hunter2"]
        var arguments = ["report", "--no-collect", "--now", now]
        if configured {
            _ = try folder.write("vitals.yml", "store: {postgres: {url_env: DB_URL}}\n")
            environment["DB_URL"] = "postgres://ana:hunter2@127.0.0.1:1/vitals?sslmode=disable"
        } else {
            arguments += ["--store", "postgres://ana@127.0.0.1:1/vitals?sslmode=disable"]
        }
        let result = try VitalsProcess.run(arguments, in: folder.url, environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("vitals: PostgreSQL store postgres://ana@127.0.0.1:1/vitals: cannot connect: "), "\(result.stderr)")
        #expect(result.stderr.filter(\.isNewline).count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
    }
}
