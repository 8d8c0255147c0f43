import Foundation
import Testing
import VitalsTestSupport

/// `vitals store migrate`: real processes, a real SQLite file from a real git repository, and the test process's private
/// PostgreSQL cluster (`docs/postgres.md`).
@Suite(.timeLimit(.minutes(5))) struct StoreMigrateCommandTests {
    let reports = PostgresStoreCommandTests()
    var now: String { reports.now }

    /// A SQLite store with a bit of everything: samples and job runs from collecting a git repository, alert state,
    /// transitions and notifications from a rule, a report queued and delivered to a file channel, a silence.
    func populatedRepository() throws -> GitRepository {
        let repository = try reports.repository()
        try repository.write("vitals.yml", "channels:\n  log: {type: file, path: sent.jsonl, default: true}\n")
        try repository.write("rules/commits.yml", "groups:\n  - name: g\n    rules:\n      - alert: Busy\n        expr: vitals_source_up > 0\n")
        // The round evaluates at the grid slot before its `--now`: a few minutes after the collection, so it sees its samples.
        for command in [
            ["collect", "--now", now], ["alerts", "evaluate", "--now", "2026-11-25T12:03:00Z"],
            ["report", "daily", "--no-collect", "--send", "log", "--now", now], ["outbox", "flush", "--now", now],
            ["alerts", "silence", "--match", "alertname=Busy", "--for", "1h", "--comment", "migration", "--author", "ana", "--now", now],
        ] {
            let result = try VitalsProcess.run(command, in: repository.url)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        return repository
    }

    func newDatabase() async throws -> (url: String, environment: [String: String]) {
        let cluster = try await PostgresTestCluster.shared()
        return (
            "postgres://\(cluster.user)@\(cluster.host):\(cluster.port)/\(try cluster.newDatabase())?sslmode=disable",
            ["PGPASSWORD": cluster.password]
        )
    }

    /// The comparison table's rows, by table: every one must say ok.
    func comparison(_ stdout: String) -> [String: [String]] {
        Dictionary(
            stdout.split(separator: "\n").dropFirst().map { line in
                let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                return (cells[0], Array(cells.dropFirst()))
            }
        ) { first, _ in first }
    }

    @Test func aSQLiteStoreMigratedToPostgreSQLAndBackReportsTheSame() async throws {
        let repository = try populatedRepository()
        let (url, environment) = try await newDatabase()
        let migrate = try VitalsProcess.run(
            ["store", "migrate", "--from", ".vitals/vitals.db", "--to", url], in: repository.url, environment: environment)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let tables = comparison(migrate.stdout)
        #expect(tables.count == 13, "\(migrate.stdout)")
        for (table, cells) in tables {
            #expect(cells.last == "ok", "\(table): \(cells)")
            #expect(cells.first != "0", "\(table) is empty in the fixture")
        }
        #expect(migrate.stderr.contains("vitals: copied samples: "), "\(migrate.stderr)")
        #expect(!migrate.stderr.contains(environment["PGPASSWORD"]!) && !migrate.stdout.contains(environment["PGPASSWORD"]!))
        let sqlite = try reports.report([], in: repository, environment: environment)
        #expect(sqlite.contains("git_commits"))
        #expect(try reports.report(["--store", url], in: repository, environment: environment) == sqlite)
        for command in [["alerts", "history"], ["outbox", "list"], ["alerts", "silences"]] {
            let fromSQLite = try VitalsProcess.run(command + ["--now", now], in: repository.url, environment: environment)
            let fromPostgres = try VitalsProcess.run(command + ["--now", now, "--store", url], in: repository.url, environment: environment)
            #expect(fromSQLite.status == 0 && fromPostgres.stdout == fromSQLite.stdout, "\(command): \(fromPostgres.stdout) \(fromPostgres.stderr)")
        }

        let back = try VitalsProcess.run(["store", "migrate", "--from", url, "--to", "back.db"], in: repository.url, environment: environment)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(comparison(back.stdout).values.allSatisfy { $0.last == "ok" }, "\(back.stdout)")
        #expect(try reports.report(["--store", "back.db"], in: repository, environment: environment) == sqlite)
    }

    /// SIGKILL between a batch's import and the record of its progress (the command waits there when told to), then the
    /// same command again: it resumes, and both stores hold the same rows, none twice.
    @Test func aMigrationKilledMidCopyResumesAndEndsEqual() async throws {
        let repository = try populatedRepository()
        let (url, environment) = try await newDatabase()
        let arguments = ["store", "migrate", "--from", ".vitals/vitals.db", "--to", url, "--batch-size", "3"]
        let errors = Pipe()
        let killed = try VitalsProcess.start(
            arguments, in: repository.url, environment: environment.merging(["VITALS_MIGRATE_PAUSE_AFTER_BATCHES": "4"]) { $1 }, standardError: errors
        )
        var stderr = ""
        while !stderr.contains("paused after batch 4") {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            stderr += String(decoding: data, as: UTF8.self)
        }
        #expect(stderr.contains("vitals: paused after batch 4 (VITALS_MIGRATE_PAUSE_AFTER_BATCHES)"), "\(stderr)")
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal)

        let resumed = try VitalsProcess.run(arguments, in: repository.url, environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(
            resumed.stderr.hasPrefix(
                "vitals: resuming the migration from \(repository.url.appendingPathComponent(".vitals/vitals.db").standardizedFileURL.path) into "),
            "\(resumed.stderr)")
        let tables = comparison(resumed.stdout)
        #expect(tables.count == 13)
        #expect(tables.values.allSatisfy { $0.last == "ok" && $0[0] == $0[1] }, "\(resumed.stdout)")
        #expect(
            try reports.report(["--store", url], in: repository, environment: environment)
                == reports.report([], in: repository, environment: environment))
    }

    /// A destination holding other data is refused; one written to after its migration compares unequal: exit 1 either way.
    @Test func aDestinationWithOtherDataIsRefusedAndADifferenceFails() async throws {
        let repository = try populatedRepository()
        let (url, environment) = try await newDatabase()
        let other = try VitalsProcess.run(["collect", "git", "--now", now, "--store", url], in: repository.url, environment: environment)
        #expect(other.status == 0, "\(other.stderr)")
        let refused = try VitalsProcess.run(
            ["store", "migrate", "--from", ".vitals/vitals.db", "--to", url], in: repository.url, environment: environment)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.hasPrefix("vitals: the destination \(url.replacing("?sslmode=disable", with: "")) already holds data (in series, "),
            "\(refused.stderr)")

        let migrated = try VitalsProcess.run(["store", "migrate", "--from", ".vitals/vitals.db", "--to", "copy.db"], in: repository.url)
        #expect(migrated.status == 0, "\(migrated.stderr)")
        _ = try VitalsProcess.run(
            ["alerts", "silence", "--match", "alertname=x", "--for", "1h", "--comment", "c", "--author", "bo", "--store", "copy.db"],
            in: repository.url)
        let differs = try VitalsProcess.run(["store", "migrate", "--from", ".vitals/vitals.db", "--to", "copy.db"], in: repository.url)
        #expect(differs.status == 1)
        #expect(comparison(differs.stdout)["alert_silences"]?.last == "DIFFERS", "\(differs.stdout)")
        #expect(differs.stderr.contains("differs from"), "\(differs.stderr)")
    }

    @Test func aPasswordInAURLIsRefusedWithoutBeingRepeated() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("a.db", "")
        let result = try VitalsProcess.run(
            ["store", "migrate", "--from", "a.db", "--to", "postgres://ana:hunter2@127.0.0.1:1/vitals"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("vitals: --to: a PostgreSQL URL here must not hold a password"), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
    }
}
