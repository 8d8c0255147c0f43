import Foundation
import GRDB
import Testing
import VitalsCore
import VitalsStore

@Suite struct MigrationTests {
    @Test func anEmptyFileIsMigratedToTheCurrentVersion() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        _ = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        let applied = try await DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY CAST(substr(identifier, 2) AS INTEGER)")
        }
        #expect(applied == StoreSchema.versions)
        let journal = try await DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    /// Every version before the current one, holding samples written at v1 (raw rows only, as v1's code wrote them; from v2 on
    /// writes also keep rollups, which inserting raw rows here would skip) and brought up to that version.
    @Test(arguments: StoreSchema.versions.dropLast())
    func dataWrittenAtAnEarlierVersionSurvivesAndIsRolledUp(version: String) async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let old = try DatabaseQueue(path: path)
        try await StoreSchema.migrate(old, upTo: "v1", timeZone: berlin)
        try await old.write { db in
            try db.execute(
                sql: "INSERT INTO series (id, name, labels, kind, unit) VALUES (1, ?, ?, 'counter', 'count')",
                arguments: [CounterFixture.key.name, CounterFixture.key.labels.canonical])
            for point in CounterFixture.points {
                try db.execute(
                    sql: "INSERT INTO samples (series_id, ts, value) VALUES (1, ?, ?)", arguments: [point.timestamp.milliseconds, point.value])
            }
            try db.execute(sql: "INSERT INTO job_runs (source, started, finished, status, samples_written) VALUES ('git', 1, 2, 'ok', 3)")
        }
        try await StoreSchema.migrate(old, upTo: version, timeZone: berlin)
        try old.close()

        let store = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        #expect(try await store.series(named: nil) == [CounterFixture.descriptor])
        #expect(try await store.samples(of: CounterFixture.key, in: Period(from: time("2026-01-01"), to: time("2027-01-01"))) == CounterFixture.points)
        let runs = try await store.jobRuns(source: "git", limit: 1)
        #expect(runs.map(\.samplesWritten) == [3])
        for layout in CounterFixture.layouts {
            #expect(try await store.summaries(of: CounterFixture.key, boundaries: layout.boundaries) == CounterFixture.expected(layout.boundaries))
        }
    }

    @Test func openingInAnotherTimeZoneRecutsTheDays() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400)).write(CounterFixture.samples)
        let store = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        let days = CounterFixture.layouts[0].boundaries
        #expect(try await store.summaries(of: CounterFixture.key, boundaries: days) == CounterFixture.expected(days))
    }

    @Test func aFileFromANewerVitalsIsRefused() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        _ = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        let newer = StoreSchema.currentVersion + 1
        try await DatabaseQueue(path: path).write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v\(newer)')") }
        let error = try await #require(throws: StoreError.self) { try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400)) }
        #expect(error == .newerSchema)
        #expect(
            error.description
                == "\(path): written by a newer vitals (schema v\(newer), this build knows v\(StoreSchema.currentVersion)); upgrade vitals to read it")
    }

    @Test func aFileThatIsNotSQLiteIsRefused() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("notes.db")
        try Data(String(repeating: "these are my notes, not a database\n", count: 200).utf8).write(to: URL(fileURLWithPath: path))
        let error = try await #require(throws: StoreError.self) { try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400)) }
        #expect(error == .notADatabase)
        #expect(error.description.hasPrefix("\(path): not a vitals database: the file is not an SQLite database"))
    }

    @Test func anotherProgramsDatabaseIsRefusedAndLeftAlone() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("app.db")
        try await DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY); CREATE TABLE orders (id INTEGER)") }
        let error = try await #require(throws: StoreError.self) { try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400)) }
        #expect(error == .notAVitalsDatabase)
        #expect(error.reason == "not a vitals database: it is an SQLite database with other tables (orders, users); use another path")
        let tables = try await DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        #expect(tables == ["orders", "users"])
    }
}
