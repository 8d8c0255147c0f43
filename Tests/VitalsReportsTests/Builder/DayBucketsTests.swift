import Foundation
import Testing
import VitalsCore
import VitalsReports

@Suite struct DayBucketsTests {
    @Test func aWeekAcrossTheEndOfSummerTimeHasOneBucketPerLocalDay() {
        let berlin = ReportFixture.berlin
        let period = Period.since(.days(7), now: RFC3339.parse("2026-10-27T12:00:00Z")!, timeZone: berlin)
        let buckets = period.dayBuckets(in: berlin)
        #expect(buckets.count == 8)
        #expect(buckets.first == RFC3339.parse("2026-10-21T00:00:00+02:00"))
        #expect(buckets.last == RFC3339.parse("2026-10-28T00:00:00+01:00"))
        // 2026-10-25 is 25 hours long in Berlin.
        #expect(buckets[5].milliseconds - buckets[4].milliseconds == 25 * 3_600_000)
    }

    @Test func aPeriodOffMidnightsHasPartialFirstAndLastDays() {
        let period = Period(from: RFC3339.parse("2026-11-24T10:00:00+01:00")!, to: RFC3339.parse("2026-11-25T10:00:00+01:00")!)
        #expect(
            period.dayBuckets(in: ReportFixture.berlin) == [
                RFC3339.parse("2026-11-24T10:00:00+01:00")!, RFC3339.parse("2026-11-25T00:00:00+01:00")!,
                RFC3339.parse("2026-11-25T10:00:00+01:00")!,
            ])
    }
}
