import Foundation
import GRDB
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

@Suite struct HousekeepingTests {
    static let now = time("2026-06-01T03:00:00Z")

    /// Each kind of row goes at its own age: raw samples at the retention, transitions and job runs at theirs.
    @Test func eachKindOfRowIsKeptForItsOwnAge() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let store = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(30))
        let descriptor = CounterFixture.descriptor
        try await store.write([
            Sample(descriptor, at: Self.now.subtracting(.days(31)), value: 1), Sample(descriptor, at: Self.now.subtracting(.days(29)), value: 2),
        ])
        for age in [91, 89] {
            let started = Self.now.subtracting(.days(Int64(age)))
            try await store.recordJobRun(JobRun(source: "collect", started: started, finished: started, status: .ok, samplesWritten: 0))
        }
        try await DatabaseQueue(path: path).write { db in
            for age in [401, 399] {
                try db.execute(
                    sql: """
                        INSERT INTO alert_transitions (group_name, alert, labels, kind, from_phase, to_phase, at)
                        VALUES ('g', 'a', '', 'fired', 'pending', 'firing', ?)
                        """,
                    arguments: [Self.now.subtracting(.days(Int64(age))).milliseconds])
            }
        }
        let result = try await store.prune(now: Self.now, transitionsAge: .days(400), jobRunsAge: .days(90))
        #expect(result == HousekeepingResult(samples: 1, alertTransitions: 1, jobRuns: 1))
        #expect(try await store.jobRuns(source: nil, limit: 10).map(\.started) == [Self.now.subtracting(.days(89))])
        #expect(try await store.prune(now: Self.now, transitionsAge: .days(400), jobRunsAge: .days(90)) == HousekeepingResult())
        try await store.compact()
        // The write-ahead log is folded into the file and truncated.
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int
        #expect(walSize == nil || walSize == 0)
    }
}
