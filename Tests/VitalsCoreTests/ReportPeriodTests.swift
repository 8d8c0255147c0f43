import Foundation
import Testing
import VitalsCore
import VitalsTestSupport

/// The calendar periods of report definitions, in every zone the system's tzdata knows, near clock changes too.
@Suite struct ReportPeriodTests {
    @Test func calendarPeriodsAreWholeLocalDaysInEveryZone() throws {
        let zones = SystemZoneNames.all
        try #require(zones.count > 400)
        var random = SplitMix64(seed: 0x9E9)
        let highest = RFC3339.parse("2040-12-31T00:00:00Z")!.milliseconds
        var failures: [String] = []
        for name in zones {
            let zone = try #require(TimeZone(ianaName: name), "\(name)")
            let days = LocalDays(zone)
            let calendar = Calendar.gregorian(in: zone)
            for sample in 0..<6 {
                var now = Timestamp(milliseconds: Int64.random(in: 0..<highest, using: &random))
                if sample % 2 == 1, let change = zone.nextDaylightSavingTimeTransition(after: now.date), change.timeIntervalSince1970 < 2_240_000_000
                {
                    now = Timestamp(change).adding(TimeSpan(milliseconds: Int64.random(in: -86_400_000..<86_400_000, using: &random)))
                }
                let today = days.start(of: now)
                let day = ReportPeriodSpec.previousDay.period(now: now, timeZone: zone)
                if day.to != today || day.from != days.previousStart(before: today) { failures.append("\(name) \(now): previous_day \(day)") }
                let week = ReportPeriodSpec.previousWeek.period(now: now, timeZone: zone)
                let starts = days.starts(of: week).filter { $0 < week.to }
                let monday = calendar.component(.weekday, from: week.from.date) == 2
                let endsThisWeek = week.to <= today && days.start(7, daysAfter: week.to) > today
                if starts.count != 7 || starts.first != week.from || !monday || !endsThisWeek || !days.isStart(week.to) {
                    failures.append("\(name) \(now): previous_week \(week)")
                }
                let lastWeek = ReportComparison.samePeriodLastWeek.period(of: week, timeZone: zone)
                if lastWeek.to != week.from || days.starts(of: lastWeek).filter({ $0 < lastWeek.to }).count != 7 {
                    failures.append("\(name) \(now): same_period_last_week \(lastWeek)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}
