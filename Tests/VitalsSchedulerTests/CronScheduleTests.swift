import Foundation
import Testing
import VitalsCore

@testable import VitalsScheduler

@Suite("Cron schedules across daylight-saving changes")
struct CronScheduleTests {
    static func runs(_ expression: String, _ zone: String, after: String, count: Int) throws -> [String] {
        let timeZone = try #require(TimeZone(identifier: zone))
        let schedule = CronSchedule(try CronExpression(parsing: expression), timeZone: timeZone)
        return schedule.runs(after: try #require(RFC3339.parse(after)), count: count).map { RFC3339.format($0, in: timeZone) }
    }

    @Test(
        "fixed times keep their wall time: a skipped time runs at the end of the gap, a repeated one at its first occurrence",
        arguments: [
            // Berlin springs forward at 02:00 on 2026-03-29 and falls back at 03:00 on 2026-10-25.
            ("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]),
            ("0,30 2,3 * * *", "Europe/Berlin", "2026-03-29T00:00:00Z", ["2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"]),
            ("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]),
            ("0 8 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", ["2026-03-29T08:00:00+02:00", "2026-03-30T08:00:00+02:00"]),
            ("0 8 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", ["2026-10-25T08:00:00+01:00", "2026-10-26T08:00:00+01:00"]),
            // Lord Howe moves by half an hour: 02:00 → 02:30 on 2026-10-04, 02:00 → 01:30 on 2026-04-05.
            ("15 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z", ["2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"]),
            ("45 1 * * *", "Australia/Lord_Howe", "2026-04-04T00:00:00Z", ["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"]),
            // Santiago springs forward at midnight (2026-09-06 starts at 01:00) and falls back at midnight (23:00 twice).
            ("0 0 * * *", "America/Santiago", "2026-09-05T12:00:00Z", ["2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00"]),
            ("30 23 * * *", "America/Santiago", "2026-04-04T12:00:00Z", ["2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00"]),
            ("0 8 * * *", "America/Santiago", "2026-09-05T12:00:00Z", ["2026-09-06T08:00:00-03:00", "2026-09-07T08:00:00-03:00"]),
            // Cairo springs forward at midnight on the last Friday of April 2026.
            ("0 0 * * *", "Africa/Cairo", "2026-04-23T12:00:00Z", ["2026-04-24T01:00:00+03:00", "2026-04-25T00:00:00+03:00"]),
            // Samoa skipped 2011-12-30 entirely.
            ("0 12 * * *", "Pacific/Apia", "2011-12-29T00:00:00Z", ["2011-12-29T12:00:00-10:00", "2011-12-31T00:00:00+14:00", "2011-12-31T12:00:00+14:00"]),
        ])
    func fixedTimes(expression: String, zone: String, after: String, expected: [String]) throws {
        #expect(try Self.runs(expression, zone, after: after, count: expected.count) == expected)
    }

    @Test(
        "jobs whose minute or hour begins with * follow real time",
        arguments: [
            (
                "*/30 * * * *", "Europe/Berlin", "2026-10-24T23:45:00Z",
                ["2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00", "2026-10-25T03:00:00+01:00"]
            ),
            ("*/30 * * * *", "Europe/Berlin", "2026-03-29T00:15:00Z", ["2026-03-29T01:30:00+01:00", "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"]),
            ("5 * * * *", "Europe/Berlin", "2026-03-29T00:30:00Z", ["2026-03-29T03:05:00+02:00"]),
        ])
    func realTime(expression: String, zone: String, after: String, expected: [String]) throws {
        #expect(try Self.runs(expression, zone, after: after, count: expected.count) == expected)
    }

    @Test("runs are strictly after the instant asked about")
    func strictlyAfter() throws {
        #expect(try Self.runs("0 8 * * *", "UTC", after: "2026-11-25T08:00:00Z", count: 1) == ["2026-11-26T08:00:00+00:00"])
        #expect(try Self.runs("0 8 * * *", "UTC", after: "2026-11-25T07:59:59.999Z", count: 1) == ["2026-11-25T08:00:00+00:00"])
        #expect(try Self.runs("* * * * *", "UTC", after: "2026-11-25T08:00:00.001Z", count: 1) == ["2026-11-25T08:01:00+00:00"])
    }

    @Test("a simulated year of 0 8 * * * runs once a day at 08:00 local", arguments: ["Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago"])
    func yearOfMornings(zone: String) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let schedule = CronSchedule(try CronExpression(parsing: "0 8 * * *"), timeZone: timeZone)
        let start = try #require(RFC3339.parse("2026-01-01T00:00:00Z"))
        let runs = schedule.runs(after: start, count: 366)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let days = runs.map { calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: $0.date) }
        #expect(days.allSatisfy { $0.hour == 8 && $0.minute == 0 && $0.second == 0 })
        let dates = days.map { CivilDate(year: $0.year!, month: $0.month!, day: $0.day!) }
        #expect(zip(dates, dates.dropFirst()).allSatisfy { $1.daysSinceEpoch == $0.daysSinceEpoch + 1 })
    }

    @Test("weekday mornings skip weekends; either day field may match")
    func weekdays() throws {
        #expect(
            try Self.runs("0 8 * * 1-5", "Europe/Berlin", after: "2026-11-25T00:00:00Z", count: 5) == [
                "2026-11-25T08:00:00+01:00", "2026-11-26T08:00:00+01:00", "2026-11-27T08:00:00+01:00", "2026-11-30T08:00:00+01:00",
                "2026-12-01T08:00:00+01:00",
            ])
        #expect(
            try Self.runs("0 0 13 * FRI", "UTC", after: "2026-11-01T00:00:00Z", count: 4) == [
                "2026-11-06T00:00:00+00:00", "2026-11-13T00:00:00+00:00", "2026-11-20T00:00:00+00:00", "2026-11-27T00:00:00+00:00",
            ])
        #expect(try Self.runs("0 0 29 2 *", "UTC", after: "2026-01-01T00:00:00Z", count: 2) == ["2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"])
    }
}
