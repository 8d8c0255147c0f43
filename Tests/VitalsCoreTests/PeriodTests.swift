import Foundation
import Testing
import VitalsCore

@Suite struct PeriodTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func at(_ text: String) -> Timestamp { RFC3339.parse(text)! }

    @Test func daySpansIncludeTodayAndAlignToLocalMidnight() {
        let period = Period.since(.days(7), now: at("2026-11-25T21:30:00Z"), timeZone: berlin)
        #expect(period.from == at("2026-11-18T23:00:00Z"))
        #expect(period.to == at("2026-11-25T23:00:00Z"))
        #expect(period.dayStarts(in: berlin).count == 7)
        #expect(period.previous(timeZone: berlin) == Period(from: at("2026-11-11T23:00:00Z"), to: at("2026-11-18T23:00:00Z")))
    }

    @Test func aDayAcrossTheAutumnChangeIs25HoursLong() {
        let period = Period.since(.days(1), now: at("2026-10-25T12:00:00Z"), timeZone: berlin)
        #expect(period.from == at("2026-10-24T22:00:00Z"))
        #expect(period.to == at("2026-10-25T23:00:00Z"))
        #expect(period.length == .hours(25))
        #expect(period.previous(timeZone: berlin) == Period(from: at("2026-10-23T22:00:00Z"), to: at("2026-10-24T22:00:00Z")))
    }

    @Test func sevenDaysAcrossTheSpringChangeHaveSevenLocalDays() {
        let period = Period.since(.days(7), now: at("2026-03-30T10:00:00Z"), timeZone: berlin)
        #expect(period.dayStarts(in: berlin).map(\.description) == [
            "2026-03-23T23:00:00Z", "2026-03-24T23:00:00Z", "2026-03-25T23:00:00Z", "2026-03-26T23:00:00Z",
            "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z",
        ])
        #expect(period.length == TimeSpan(milliseconds: 7 * 86_400_000 - 3_600_000))
    }

    @Test func hourSpansEndAtNow() {
        let period = Period.since(.hours(12), now: at("2026-11-25T21:30:00Z"), timeZone: berlin)
        #expect(period == Period(from: at("2026-11-25T09:30:00Z"), to: at("2026-11-25T21:30:00Z")))
        #expect(period.previous(timeZone: berlin) == Period(from: at("2026-11-24T21:30:00Z"), to: at("2026-11-25T09:30:00Z")))
        #expect(period.contains(at("2026-11-25T09:30:00Z")))
        #expect(!period.contains(at("2026-11-25T21:30:00Z")))
    }
}
