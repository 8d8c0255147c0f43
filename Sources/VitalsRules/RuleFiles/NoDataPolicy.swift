/// What an alert does for a label set whose expression returned no data at an evaluation (`no_data:`).
public enum NoDataPolicy: String, Sendable, Codable, CaseIterable {
    /// No data counts as healthy: a pending alert resets, a firing one resolves (the default).
    case ok
    /// No data counts as the condition holding, with the last known value and severity.
    case alerting
    /// The alert keeps the state it had, as if the evaluation had not happened for that label set.
    case keepLast = "keep_last"

    public static let allowedValues = allCases.map(\.rawValue).joined(separator: ", ")
}
