import Foundation
import Testing
import VitalsCollectors
import VitalsCore

/// Pull-request figures on a small week, by hand. Window 2026-03-01T00:00Z to 03-08T00:00Z, now 03-07T12:00Z.
///
/// | # | author | created | merged | updated | reviews (login at) | lines |
/// |---|---|---|---|---|---|---|
/// | 1 | ana | 02-20 | 02-28 (before the window) | 03-02 | — | 40 |
/// | 2 | ana | 03-01 09:00 | 03-02 09:00 | 03-02 | ana 03-01 10:00 (own), bo 03-01 12:00 | 120 |
/// | 3 | bo | 03-03 00:00 | 03-03 06:00 | 03-03 | — | 5 |
/// | 4 | ana | 02-01 | open | 02-20 | deleted account 02-02 | — |
/// | 5 | bo | 03-06 | open | 03-06 | bo 03-06 10:00 (own) | — |
/// | 6 | ana | 03-02 | closed unmerged | 03-03 | — | — |
@Suite struct PullRequestVelocityTests {
    static func t(_ text: String) -> Timestamp { RFC3339.parse("2026-\(text):00Z")! }

    let from = t("03-01T00:00")
    let to = t("03-08T00:00")
    let pulls = [
        PullRequestRecord(
            number: 1, author: "ana", createdAt: t("02-20T00:00"), updatedAt: t("03-02T00:00"), mergedAt: t("02-28T00:00"), lines: 40),
        PullRequestRecord(
            number: 2, author: "ana", createdAt: t("03-01T09:00"), updatedAt: t("03-02T09:00"), mergedAt: t("03-02T09:00"),
            reviews: [("ana", t("03-01T10:00")), ("bo", t("03-01T12:00"))], lines: 120),
        PullRequestRecord(number: 3, author: "bo", createdAt: t("03-03T00:00"), updatedAt: t("03-03T06:00"), mergedAt: t("03-03T06:00"), lines: 5),
        PullRequestRecord(
            number: 4, author: "ana", createdAt: t("02-01T00:00"), updatedAt: t("02-20T00:00"), isOpen: true, reviews: [(nil, t("02-02T00:00"))]),
        PullRequestRecord(
            number: 5, author: "bo", createdAt: t("03-06T00:00"), updatedAt: t("03-06T10:00"), isOpen: true, reviews: [("bo", t("03-06T10:00"))]),
        PullRequestRecord(number: 6, author: "ana", createdAt: t("03-02T00:00"), updatedAt: t("03-03T00:00")),
    ]

    /// #1 was merged before the window: it counts nowhere, though updated in it.
    @Test func mergedPerDay() {
        let days = (1...8).map { Self.t(String(format: "03-%02dT00:00", $0)) }
        #expect(PullRequestVelocity.mergedPerDay(pulls, days: days).map(\.count) == [0, 1, 1, 0, 0, 0, 0])
    }

    /// #2: a day; #3: 6 hours.
    @Test func cycleTimes() {
        #expect(
            PullRequestVelocity.cycleTimes(pulls, from: from, to: to) == [
                Observation(at: Self.t("03-02T09:00"), value: 86_400), Observation(at: Self.t("03-03T06:00"), value: 21_600),
            ])
    }

    /// #2: bo's review 3 hours after creation (ana's own does not count); #4's first review is before the window; #5 has
    /// only its author's.
    @Test func firstReviewTimes() {
        #expect(PullRequestVelocity.firstReviewTimes(pulls, from: from, to: to) == [Observation(at: Self.t("03-01T12:00"), value: 10_800)])
        #expect(pulls[3].firstReview == Self.t("02-02T00:00"))
        #expect(pulls[4].firstReview == nil)
    }

    @Test func sizes() {
        #expect(
            PullRequestVelocity.sizes(pulls, from: from, to: to) == [
                Observation(at: Self.t("03-02T09:00"), value: 120), Observation(at: Self.t("03-03T06:00"), value: 5),
            ])
    }

    /// #4 and #5 are open; #4 was last updated more than 7 days before now.
    @Test func openAndStale() {
        let open = PullRequestVelocity.open(pulls, now: Self.t("03-07T12:00"))
        #expect(open.open == 2)
        #expect(open.stale == 1)
    }
}
