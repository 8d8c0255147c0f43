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

    /// The write history has a row per write and series; housekeeping empties it and starts a new epoch, so it stays
    /// bounded: a mark from before reads in full once, a mark from after continues with the writes since.
    @Test func housekeepingRestartsTheWriteHistory() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let store = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(30))
        let descriptor = CounterFixture.descriptor
        let before = try #require(try await store.samplesWritten(named: [descriptor.key.name], since: nil)).mark
        for minute in 0..<3 {
            try await store.write([Sample(descriptor, at: Self.now.subtracting(.minutes(Int64(10 - minute))), value: Double(minute))])
        }
        func historyRows() async throws -> Int {
            try await DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sample_changes")! }
        }
        #expect(try await historyRows() == 3)
        _ = try await store.prune(now: Self.now, transitionsAge: .days(400), jobRunsAge: .days(90))
        #expect(try await historyRows() == 0)
        let restarted = try #require(try await store.samplesWritten(named: [descriptor.key.name], since: before))
        #expect(restarted.series == nil)
        try await store.write([Sample(descriptor, at: Self.now, value: 9)])
        let after = try #require(try await store.samplesWritten(named: [descriptor.key.name], since: restarted.mark))
        #expect(after.series?.map(\.points) == [[SamplePoint(Self.now, 9)]])
    }

    /// Housekeeping drops outbox messages whose deliveries all ended more than the outbox age ago (delivered or dead), and
    /// keeps younger ones and any with a delivery still pending, however old.
    @Test func housekeepingPrunesTheOutboxAtItsAge() async throws {
        let folder = try TemporaryFolder()
        let store = try await SQLiteMetricStore(path: folder.file("vitals.db"), timeZone: berlin, retention: .days(400))
        let payload = OutboxMessage.Payload.report(ReportMessage(name: "daily", title: "Daily", bodies: ["md": "# Daily"]))
        for (key, age, result) in [("delivered", 31, DeliveryResult.delivered(status: 200)), ("dead", 31, .dead(status: 400, error: "no")),
            ("recent", 29, .delivered(status: 200)), ("pending", 60, nil)] {
            let at = Self.now.subtracting(.days(Int64(age)))
            let message = try #require(try await store.enqueue(key: key, payload: payload, channels: ["slack"], at: at, force: false))
            let delivery = try #require(try await store.deliveries(status: .pending).first { $0.message.id == message.id })
            if let result { try await store.record(result, forDelivery: delivery.id, at: at) }
        }
        let result = try await Housekeeping().run(on: store, now: Self.now)
        #expect(result == HousekeepingResult(outboxMessages: 2))
        #expect(Set(try await store.deliveries(status: nil).map(\.status)) == [.delivered, .pending])
        #expect(try await store.deliveries(status: nil).count == 2)
    }
}
