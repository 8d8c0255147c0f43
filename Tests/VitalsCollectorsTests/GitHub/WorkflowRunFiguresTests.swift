import Testing
import VitalsCollectors
import VitalsCore

/// CI figures on two days, by hand.
///
/// | run | workflow | conclusion | created | started → ended |
/// |---|---|---|---|---|
/// | 1 | CI | success | 03-01 10:00 | 10:00 → 10:04 |
/// | 2 | CI | failure | 03-01 11:00 | 11:01 → 11:11 |
/// | 3 | CI | cancelled | 03-01 12:00 | 12:00 → 12:01 |
/// | 4 | CI | timed_out | 03-02 09:00 | 09:00 → 15:00 |
/// | 5 | Docs | skipped | 03-02 10:00 | 10:00 → 10:00 |
@Suite struct WorkflowRunFiguresTests {
    static func t(_ text: String) -> Timestamp { RFC3339.parse("2026-\(text):00Z")! }

    let days = [t("03-01T00:00"), t("03-02T00:00"), t("03-03T00:00")]
    let runs = [
        WorkflowRunRecord(
            id: 1, workflow: "CI", conclusion: "success", createdAt: t("03-01T10:00"), startedAt: t("03-01T10:00"), endedAt: t("03-01T10:04")),
        WorkflowRunRecord(
            id: 2, workflow: "CI", conclusion: "failure", createdAt: t("03-01T11:00"), startedAt: t("03-01T11:01"), endedAt: t("03-01T11:11")),
        WorkflowRunRecord(
            id: 3, workflow: "CI", conclusion: "cancelled", createdAt: t("03-01T12:00"), startedAt: t("03-01T12:00"), endedAt: t("03-01T12:01")),
        WorkflowRunRecord(
            id: 4, workflow: "CI", conclusion: "timed_out", createdAt: t("03-02T09:00"), startedAt: t("03-02T09:00"), endedAt: t("03-02T15:00")),
        WorkflowRunRecord(
            id: 5, workflow: "Docs", conclusion: "skipped", createdAt: t("03-02T10:00"), startedAt: t("03-02T10:00"), endedAt: t("03-02T10:00")),
    ]

    @Test func runsPerDayByConclusion() {
        #expect(
            WorkflowRunFigures.runsPerDay(runs, days: days).map { "\($0.workflow) \($0.conclusion) \($0.count)" } == [
                "CI cancelled 1", "CI failure 1", "CI success 1", "CI timed_out 1", "Docs skipped 1",
            ])
    }

    /// 03-01: 1 success of 2 verdicts (the cancelled run judges nothing); 03-02: 0 of 1 for CI; Docs only skipped: none.
    @Test func successRatiosCountVerdictsOnly() {
        let ratios = WorkflowRunFigures.successRatios(runs, days: days)
        #expect(ratios.map { "\($0.workflow) \($0.successes)/\($0.verdicts)" } == ["CI 1/2", "CI 0/1"])
        #expect(ratios.map(\.ratio) == [0.5, 0])
    }

    @Test func durations() {
        #expect(WorkflowRunFigures.durations(runs, from: days[0], to: days[2]).map(\.observation.value) == [240, 600, 60, 0, 21_600])
    }
}
