import Testing
import VitalsCollectors
import VitalsCore

@Suite struct IssueFiguresTests {
    static func t(_ text: String) -> Timestamp { RFC3339.parse("2026-\(text):00Z")! }

    let days = [t("03-01T00:00"), t("03-02T00:00"), t("03-03T00:00")]
    let issues = [
        IssueRecord(number: 1, createdAt: t("03-01T09:00"), closedAt: t("03-02T09:00"), isOpen: false, labels: ["bug"]),
        IssueRecord(number: 2, createdAt: t("03-01T10:00"), closedAt: nil, isOpen: true, labels: ["BUG", "defect"]),
        IssueRecord(number: 3, createdAt: t("03-02T10:00"), closedAt: nil, isOpen: true, labels: ["feature"]),
    ]

    @Test func openedAndClosedPerDay() {
        #expect(IssueFigures.openedPerDay(issues, days: days).map(\.count) == [2, 1])
        #expect(IssueFigures.closedPerDay(issues, days: days).map(\.count) == [0, 1])
    }

    /// #2 carries both bug labels and counts once; #1 is closed.
    @Test func bugsOpenCountEachIssueOnce() {
        #expect(IssueFigures.bugsOpen(issues, bugLabels: ["bug", "defect"]) == 1)
    }

    @Test func everySecurityLevelIsWrittenAndOthersWhenPresent() {
        #expect(
            IssueFigures.alertsBySeverity(["high", "note", "high", "warning"]).map { "\($0.severity) \($0.count)" } == [
                "critical 0", "high 2", "medium 0", "low 0", "note 1", "warning 1",
            ])
    }
}
