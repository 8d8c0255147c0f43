public import VitalsCore

/// An issue (never a pull request) as the issue figures need it.
public struct IssueRecord: Sendable, Equatable {
    public let number: Int
    public let createdAt: Timestamp
    public let closedAt: Timestamp?
    public let isOpen: Bool
    public let labels: [String]

    public init(number: Int, createdAt: Timestamp, closedAt: Timestamp?, isOpen: Bool, labels: [String]) {
        self.number = number
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.isOpen = isOpen
        self.labels = labels
    }
}

/// Issue and code-scanning figures: pure functions; `docs/metrics.md` states each.
public enum IssueFigures {
    /// Issues opened per local day of `created_at`.
    public static func openedPerDay(_ issues: [IssueRecord], days: [Timestamp]) -> [(day: Timestamp, count: Int)] {
        perDay(issues.map(\.createdAt), days: days)
    }

    /// Issues closed per local day of `closed_at`.
    public static func closedPerDay(_ issues: [IssueRecord], days: [Timestamp]) -> [(day: Timestamp, count: Int)] {
        perDay(issues.compactMap(\.closedAt), days: days)
    }

    /// Open issues carrying any of `bugLabels` (compared without regard to case), each counted once.
    public static func bugsOpen(_ issues: [IssueRecord], bugLabels: [String]) -> Int {
        let wanted = Set(bugLabels.map { $0.lowercased() })
        return Set(issues.filter { $0.isOpen && $0.labels.contains { wanted.contains($0.lowercased()) } }.map(\.number)).count
    }

    /// The security severities always written, zero included, so a fixed alert shows as a drop to 0.
    public static let securityLevels = ["critical", "high", "medium", "low"]

    /// Open code-scanning alerts per severity: every security level, and each other severity that occurs.
    public static func alertsBySeverity(_ severities: [String]) -> [(severity: String, count: Int)] {
        let counts = Dictionary(grouping: severities, by: { $0 }).mapValues(\.count)
        let others = counts.keys.filter { !securityLevels.contains($0) }.sorted()
        return (securityLevels + others).map { ($0, counts[$0] ?? 0) }
    }

    static func perDay(_ instants: [Timestamp], days: [Timestamp]) -> [(day: Timestamp, count: Int)] {
        zip(days, days.dropFirst()).map { start, end in (start, instants.count { start <= $0 && $0 < end }) }
    }
}
