import Foundation
import GRDB
import Testing
import VitalsCore
import VitalsStore

/// A store whose raw samples retention has deleted keeps its history when `time_zone` changes.
@Suite struct TimeZoneChangeTests {
    static let afterRetention = time("2026-06-01T12:00:00Z")

    /// The whole local days of `zone` that hold the fixture's samples, as bucket boundaries.
    static func days(in zone: TimeZone) -> [Timestamp] {
        let days = LocalDays(zone)
        let period = Period(from: CounterFixture.points.first!.timestamp, to: CounterFixture.points.last!.timestamp.adding(.seconds(1)))
        return period.dayStarts(in: zone) + [days.nextStart(after: period.to)]
    }

    /// Writes the fixture in Europe/Berlin and lets 30-day retention delete every raw sample.
    static func prunedStore(_ path: String) async throws {
        let store = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(30))
        try await store.write(CounterFixture.samples)
        #expect(try await store.applyRetention(now: afterRetention) == CounterFixture.points.count)
    }

    /// Whole-hour zones: the new days are cut from the hourly rollups, exactly.
    @Test(arguments: ["America/New_York", "UTC", "America/Santiago", "Asia/Tokyo", "Pacific/Kiritimati"])
    func daysAreRecutFromHourlyRollupsWhenRawSamplesAreGone(zone: String) async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        try await Self.prunedStore(path)
        let newZone = try #require(TimeZone(ianaName: zone))
        let store = try await SQLiteMetricStore(path: path, timeZone: newZone, retention: .days(30))
        let days = Self.days(in: newZone)
        let summaries = try await store.summaries(of: CounterFixture.key, boundaries: days)
        #expect(summaries == CounterFixture.expected(days))
        #expect(summaries.compactMap { $0?.count }.reduce(0, +) == CounterFixture.points.count)
        // And back: Berlin's days come back as they were.
        let back = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(30))
        #expect(try await back.summaries(of: CounterFixture.key, boundaries: Self.days(in: berlin)) == CounterFixture.expected(Self.days(in: berlin)))
    }

    /// Asia/Kolkata's midnights fall at half hours: with the raw samples gone, the hour around each midnight cannot be split,
    /// so the change is refused, names what it would cost, and leaves the store as it was.
    @Test func aChangeThatWouldLoseDaysIsRefusedAndChangesNothing() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        try await Self.prunedStore(path)
        let kolkata = try #require(TimeZone(ianaName: "Asia/Kolkata"))
        let error = try await #require(throws: StoreError.self) { try await SQLiteMetricStore(path: path, timeZone: kolkata, retention: .days(30)) }
        #expect(error == .timeZoneChangeLosesDays)
        #expect(
            error.description == """
                \(path): time_zone Asia/Kolkata would lose the daily history of 7 days (2026-03-27 – 2026-04-02): the rollups were cut in \
                Europe/Berlin, the raw samples of those days are past retention, and the hourly rollups kept for them cannot be split at \
                Asia/Kolkata's midnights. Keep time_zone: Europe/Berlin, or run once with --accept-day-loss to recut the days in \
                Asia/Kolkata without those
                """)
        let berlinDays = Self.days(in: berlin)
        let unchanged = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(30))
        #expect(try await unchanged.summaries(of: CounterFixture.key, boundaries: berlinDays) == CounterFixture.expected(berlinDays))
    }

    @Test func acceptingTheLossRecutsTheDaysThatCanBeRecut() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        try await Self.prunedStore(path)
        let kolkata = try #require(TimeZone(ianaName: "Asia/Kolkata"))
        _ = try await SQLiteMetricStore(path: path, timeZone: kolkata, retention: .days(30), acceptingDayLoss: true)
        let zone = try await DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "SELECT value FROM metadata WHERE key = 'day_time_zone'") }
        #expect(zone == "Asia/Kolkata")
        // Opened again in the same zone: nothing to recut, nothing refused.
        _ = try await SQLiteMetricStore(path: path, timeZone: kolkata, retention: .days(30))
    }

    /// With the raw samples still there, the half hours around Kolkata's midnights come from them: every day is exact.
    @Test func halfHourZonesAreExactWhileRawSamplesAreKept() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400)).write(CounterFixture.samples)
        for name in ["Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns"] {
            let zone = try #require(TimeZone(ianaName: name))
            let store = try await SQLiteMetricStore(path: path, timeZone: zone, retention: .days(400))
            let days = Self.days(in: zone)
            #expect(try await store.summaries(of: CounterFixture.key, boundaries: days) == CounterFixture.expected(days), "\(name)")
        }
    }

    /// A walk through zones: with the raw samples kept, every change is exact; once retention deleted them,
    /// every change between whole-hour zones still is, and a change that would lose days is refused and changes nothing.
    @Test func aWalkThroughZonesKeepsEveryDayExact() async throws {
        let partHours = [
            "Asia/Kolkata", "Asia/Calcutta", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "Asia/Tehran", "America/St_Johns",
        ]
        let walk = [
            "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Apia", "Pacific/Chatham", "Asia/Tokyo", "Australia/Lord_Howe",
            "America/Santiago", "Asia/Tehran", "UTC", "America/St_Johns", "Asia/Calcutta", "Europe/Berlin",
        ]
        for pruned in [false, true] {
            let folder = try TemporaryFolder()
            let path = folder.file("vitals.db")
            if pruned {
                try await Self.prunedStore(path)
            } else {
                try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400)).write(CounterFixture.samples)
            }
            var current = "Europe/Berlin"
            for name in walk {
                let zone = try #require(TimeZone(ianaName: name))
                let days = Self.days(in: zone)
                do {
                    let store = try await SQLiteMetricStore(path: path, timeZone: zone, retention: .days(400))
                    #expect(try await store.summaries(of: CounterFixture.key, boundaries: days) == CounterFixture.expected(days), "\(current) → \(name)")
                    current = name
                } catch let error as StoreError {
                    #expect(pruned && error == .timeZoneChangeLosesDays, "\(current) → \(name): \(error)")
                    #expect(partHours.contains(name) || partHours.contains(current), "\(current) → \(name)")
                }
            }
        }
    }

    /// An alias has the same days as its zone: the daily rows are kept as they are, raw samples or not.
    @Test func anAliasWithTheSameDaysKeepsEveryDay() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let kolkata = try #require(TimeZone(ianaName: "Asia/Kolkata"))
        let store = try await SQLiteMetricStore(path: path, timeZone: kolkata, retention: .days(30))
        try await store.write(CounterFixture.samples)
        _ = try await store.applyRetention(now: Self.afterRetention)
        let calcutta = try #require(TimeZone(ianaName: "Asia/Calcutta"))
        let reopened = try await SQLiteMetricStore(path: path, timeZone: calcutta, retention: .days(30))
        let days = Self.days(in: calcutta)
        #expect(try await reopened.summaries(of: CounterFixture.key, boundaries: days) == CounterFixture.expected(days))
    }
}

/// Daily rollups are cut at each day's first instant, also after a clock change at local midnight.
@Suite struct DayAfterMidnightChangeTests {
    /// America/Santiago: 2024-09-08 starts at 01:00 (04:00Z), 9 and 10 September at 00:00 (03:00Z), as Python zoneinfo says.
    @Test(arguments: StoreKind.allCases)
    func aSampleAtHalfPastMidnightIsInItsOwnDaysRollup(kind: StoreKind) async throws {
        let santiago = try #require(TimeZone(ianaName: "America/Santiago"))
        try await withStore(kind, timeZone: santiago) { store in
            let points = ["2024-09-08T12:00:00Z", "2024-09-09T03:30:00Z", "2024-09-10T03:15:00Z", "2024-09-10T12:00:00Z"].enumerated().map {
                SamplePoint(time($0.element), Double($0.offset + 1))
            }
            try await store.write(points.map { Sample(CounterFixture.descriptor, at: $0.timestamp, value: $0.value) })
            let days = ["2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z", "2024-09-10T03:00:00Z", "2024-09-11T03:00:00Z"].map(time)
            #expect(try await store.summaries(of: CounterFixture.key, boundaries: days).map { $0?.sum } == [1, 2, 7])
        }
    }
}

/// Stores written before every day start came from the calendar hold days cut an hour late; opening one repairs them.
@Suite struct MisplacedDayRepairTests {
    @Test func daysCutAnHourLateByEarlierVersionsAreRecutOnce() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let santiago = try #require(TimeZone(ianaName: "America/Santiago"))
        let first = time("2024-09-07T00:07:00Z")
        let points: [SamplePoint] = (0..<576).map { (index: Int) -> SamplePoint in
            SamplePoint(first.adding(.minutes(Int64(index) * 15)), Double(index % 7))
        }
        try await SQLiteMetricStore(path: path, timeZone: santiago, retention: .days(30))
            .write(points.map { Sample(CounterFixture.descriptor, at: $0.timestamp, value: $0.value) })
        // What earlier versions stored: after the day of the change (8 September, from 01:00), every day from 01:00 (04:00Z)
        // too; and retention has deleted the raw samples since.
        let lateStarts: [Timestamp] = (6...13).map { (day: Int) -> Timestamp in time("2024-09-\(day < 10 ? "0" : "")\(day)T04:00:00Z") }
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM daily_rollups; DELETE FROM samples; DELETE FROM metadata WHERE key = 'day_starts_repaired'")
            let seriesID = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM series"))
            for (from, to) in zip(lateStarts, lateStarts.dropFirst()) {
                guard let day = bruteForceSummary(points.filter { from <= $0.timestamp && $0.timestamp < to }) else { continue }
                try db.execute(
                    sql: "INSERT INTO daily_rollups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        seriesID, from.milliseconds, day.count, day.sum, day.min, day.max, day.first.timestamp.milliseconds, day.first.value,
                        day.last.timestamp.milliseconds, day.last.value, day.increase,
                    ])
            }
        }
        let store = try await SQLiteMetricStore(path: path, timeZone: santiago, retention: .days(30))
        // The days as they are (Python zoneinfo): 7 and 8 September from 04:00Z, the later ones from 03:00Z.
        let days = ["2024-09-07T04:00:00Z", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z", "2024-09-10T03:00:00Z", "2024-09-11T03:00:00Z"].map(time)
        let expected = zip(days, days.dropFirst()).map { from, to in bruteForceSummary(points.filter { from <= $0.timestamp && $0.timestamp < to }) }
        #expect(try await store.summaries(of: CounterFixture.key, boundaries: days) == expected)
        let marker = try await DatabaseQueue(path: path).read {
            try String.fetchOne($0, sql: "SELECT value FROM metadata WHERE key = 'day_starts_repaired'")
        }
        #expect(marker == "1")
    }
}
