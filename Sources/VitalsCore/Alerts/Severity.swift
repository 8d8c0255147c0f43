/// How urgent an alert is; ordered, so that "the highest crossed threshold" and "a severity increase" are comparisons.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info
    case warning
    case critical

    /// The accepted values, for error messages.
    public static let allowedValues = allCases.map(\.rawValue).joined(separator: ", ")

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
