import Foundation
import Testing
import VitalsCollectors
import VitalsCore

/// Commits are counted on the local day of their committer date, also after a clock change at local midnight.
@Suite struct GitDayBucketTests {
    static func at(_ text: String) -> Timestamp { RFC3339.parse(text)! }

    /// America/Santiago moved its clocks from 00:00 to 01:00 on 2024-09-08: that day starts at 01:00, every later one at 00:00
    /// (the starts are Python zoneinfo's). A commit at 00:30 on 9 September belongs to 9 September.
    @Test func aCommitAfterMidnightFollowingAChangeAtMidnightIsOnItsOwnDay() throws {
        let santiago = try #require(TimeZone(ianaName: "America/Santiago"))
        var aggregator = GitActivityAggregator(range: Self.at("2024-09-07T12:00:00Z")...Self.at("2024-09-11T12:00:00Z"), timeZone: santiago)
        for commit in ["2024-09-09T03:30:00Z", "2024-09-10T03:10:00Z", "2024-09-08T04:20:00Z"] {
            aggregator.add(GitCommitStats(committerTime: Self.at(commit).milliseconds / 1000, authorEmail: "a@example.com", parentCount: 1))
        }
        #expect(
            aggregator.days.map(\.dayStart.description) == [
                "2024-09-07T04:00:00Z", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z", "2024-09-10T03:00:00Z", "2024-09-11T03:00:00Z",
            ])
        #expect(aggregator.days.map(\.commits) == [0, 1, 1, 1, 0])
    }
}
