/// How the values of a series combine over a period.
public enum MetricKind: String, Sendable, Codable, CaseIterable {
    /// A level such as coverage: a period's value is the last value in it.
    case gauge
    /// A monotonically increasing total: a period's value is its increase over the period (resets count from zero).
    case counter
    /// A count or value per occurrence or per day, such as commits: a period's value is the sum of its samples.
    case event
}

/// The unit a series' values are in; metric names carry it too (`_seconds`, `_ratio`, `_total`).
public enum MetricUnit: String, Sendable, Codable, CaseIterable {
    /// A plain count of things.
    case count
    /// A ratio from 0 to 1 (rendered as a percentage).
    case ratio
    case seconds
    case bytes
    /// Lines of code.
    case lines
}
