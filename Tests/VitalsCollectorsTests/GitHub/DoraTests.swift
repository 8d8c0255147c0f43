import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

/// The DORA figures on one small week, computed by hand in the comments.
///
/// Window: 2026-03-01T00:00Z to 2026-03-08T00:00Z (UTC days).
///
/// | deployment | ended (UTC) | outcome | sha | changes (commit author dates) |
/// |---|---|---|---|---|
/// | 1 | 02-27 12:00 | success | a1 | unknown: the first read, no predecessor |
/// | 2 | 03-02 10:00 | success | b2 | 02-20 10:00 (a PR merged before the window), 03-01 10:00, 03-02 09:00, 03-02 11:00 (after the deploy) |
/// | 3 | 03-03 12:00 | failure (`error`) | c3 | — |
/// | 4 | 03-03 13:00 | failure | c4 | — |
/// | 5 | 03-03 15:00 | success | a1 | none: a rollback to an older commit |
/// | 6 | 03-05 09:00 | success | e6 | 03-04 09:00 (a revert commit: a change like any other) |
/// | 7 | 03-06 09:00 | success | e6 | none: a redeploy of the same commit |
/// | 8 | — | pending | f8 | — |
///
/// Incidents: #1 opened 02-26 08:00 (before any successful deployment), resolved 03-01 08:00; #2 opened 03-05 12:00,
/// resolved 03-05 18:00; #3 opened 03-07 10:00, open.
@Suite struct DoraTests {
    static func t(_ text: String) -> Timestamp { RFC3339.parse("2026-\(text):00Z")! }

    let from = t("03-01T00:00")
    let to = t("03-08T00:00")

    let deployments = [
        DeploymentRecord(id: 1, sha: "a1", outcome: .success, finishedAt: t("02-27T12:00"), changes: nil),
        DeploymentRecord(
            id: 2, sha: "b2", outcome: .success, finishedAt: t("03-02T10:00"),
            changes: [t("02-20T10:00"), t("03-01T10:00"), t("03-02T09:00"), t("03-02T11:00")]),
        DeploymentRecord(id: 3, sha: "c3", outcome: .failure, finishedAt: t("03-03T12:00")),
        DeploymentRecord(id: 4, sha: "c4", outcome: .failure, finishedAt: t("03-03T13:00")),
        DeploymentRecord(id: 5, sha: "a1", outcome: .success, finishedAt: t("03-03T15:00"), changes: []),
        DeploymentRecord(id: 6, sha: "e6", outcome: .success, finishedAt: t("03-05T09:00"), changes: [t("03-04T09:00")]),
        DeploymentRecord(id: 7, sha: "e6", outcome: .success, finishedAt: t("03-06T09:00"), changes: []),
        DeploymentRecord(id: 8, sha: "f8", outcome: nil, finishedAt: nil),
    ]

    let incidents = [
        IncidentRecord(number: 1, openedAt: t("02-26T08:00"), resolvedAt: t("03-01T08:00")),
        IncidentRecord(number: 2, openedAt: t("03-05T12:00"), resolvedAt: t("03-05T18:00")),
        IncidentRecord(number: 3, openedAt: t("03-07T10:00"), resolvedAt: nil),
    ]

    /// Deployment 2: 10 days, 1 day and 1 hour; the commit dated after the deploy is discarded. 5 and 7 ship nothing;
    /// 6: 1 day. Deployment 1 ended before the window.
    @Test func leadTimes() {
        #expect(
            Dora.leadTimes(deployments, from: from, to: to) == [
                Observation(at: Self.t("03-02T10:00"), value: 864_000), Observation(at: Self.t("03-02T10:00"), value: 86_400),
                Observation(at: Self.t("03-02T10:00"), value: 3_600), Observation(at: Self.t("03-05T09:00"), value: 86_400),
            ])
    }

    /// 6 deployments ended in the window (2–7); 3 and 4 failed, 6 has incident #2 and 7 incident #3; incident #1 opened
    /// before any successful deployment and is attributed to none: 4 / 6.
    @Test func changeFailureRatio() {
        #expect(Dora.changeFailures(deployments, incidents: incidents) == [3, 4, 6, 7])
        let ratio = Dora.changeFailureRatio(deployments, incidents: incidents, from: from, to: to)
        #expect(ratio.failures == 4)
        #expect(ratio.deployments == 6)
        #expect(ratio.ratio == 4.0 / 6.0)
    }

    /// Incident #1: 3 days (it opened before the window but was resolved in it); the failed run 3–4 from 12:00 to the
    /// rollback at 15:00: 3 hours; incident #2: 6 hours; incident #3 is not resolved.
    @Test func recoveries() {
        #expect(
            Dora.recoveries(deployments, incidents: incidents, from: from, to: to) == [
                Observation(at: Self.t("03-01T08:00"), value: 259_200), Observation(at: Self.t("03-03T15:00"), value: 10_800),
                Observation(at: Self.t("03-05T18:00"), value: 21_600),
            ])
    }

    @Test func deploymentsPerDay() {
        let days = (1...8).map { Self.t(String(format: "03-%02dT00:00", $0)) }
        #expect(Dora.deploymentsPerDay(deployments, days: days).map(\.count) == [0, 1, 1, 0, 1, 1, 0])
    }

    /// No deployment ended: no ratio rather than 0.
    @Test func noDeploymentsGiveNoRatio() {
        let ratio = Dora.changeFailureRatio([], incidents: incidents, from: from, to: to)
        #expect(ratio.failures == 0 && ratio.deployments == 0 && ratio.ratio == nil)
    }

    /// The ratio stays at most 1 whatever the records: several incidents on one deployment count it once.
    @Test func theRatioNeverExceedsOne() {
        var generator = SplitMix64(seed: 10)
        for _ in 0..<200 {
            let records = (0..<Int(generator.next() % 8)).map { index in
                DeploymentRecord(
                    id: index, sha: "s\(index)", outcome: generator.next() % 3 == 0 ? .failure : .success,
                    finishedAt: Timestamp(seconds: Int64(generator.next() % 100_000)))
            }
            let incidents = (0..<Int(generator.next() % 8)).map { index in
                IncidentRecord(number: index, openedAt: Timestamp(seconds: Int64(generator.next() % 100_000)), resolvedAt: nil)
            }
            let ratio = Dora.changeFailureRatio(records, incidents: incidents, from: Timestamp(seconds: 0), to: Timestamp(seconds: 100_000))
            #expect(ratio.failures <= ratio.deployments)
            #expect((ratio.ratio ?? 0) <= 1)
        }
    }

    @Test(arguments: [
        (
            [("pending", "03-01T10:00"), ("in_progress", "03-01T10:01"), ("success", "03-01T10:05"), ("inactive", "03-02T08:00")],
            DeploymentRecord.Outcome.success, "03-01T10:05"
        ),
        ([("queued", "03-01T10:00"), ("error", "03-01T10:02")], .failure, "03-01T10:02"),
        ([("failure", "03-01T10:02"), ("success", "03-01T11:00")], .success, "03-01T11:00"),
    ])
    func anOutcomeIsTheNewestEndingStatus(statuses: [(String, String)], outcome: DeploymentRecord.Outcome, at: String) throws {
        let ended = try #require(DeploymentRecord.outcome(of: statuses.map { ($0.0, Self.t($0.1)) }))
        #expect(ended.0 == outcome)
        #expect(ended.1 == Self.t(at))
    }

    /// Observations at one instant are spread 1 ms apart, in order, never onto a later observation's instant.
    @Test func observationsGetInstantsOfTheirOwn() {
        let t0 = Self.t("03-02T10:00")
        func at(_ milliseconds: Int64) -> Timestamp { t0.adding(TimeSpan(milliseconds: milliseconds)) }
        let spread = Observation.distinctInstants([
            Observation(at: t0, value: 1), Observation(at: at(1), value: 2), Observation(at: t0, value: 3), Observation(at: at(5), value: 4),
        ])
        #expect(
            spread == [
                Observation(at: t0, value: 1), Observation(at: at(1), value: 3), Observation(at: at(2), value: 2), Observation(at: at(5), value: 4),
            ])
    }

    @Test func aDeploymentStillRunningHasNoOutcome() {
        #expect(DeploymentRecord.outcome(of: [("queued", Self.t("03-01T10:00")), ("in_progress", Self.t("03-01T10:01"))]) == nil)
    }
}
