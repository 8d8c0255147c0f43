public import VitalsCore

/// The daily housekeeping a backend does for itself (`vitals housekeeping`, `0 3 * * * housekeeping` in the shipped
/// schedule): each kind of row kept for its own age, then the space and statistics tidied.
public protocol StoreMaintenance: Sendable {
    /// Deletes raw samples past the store's retention, alert transitions older than `transitionsAge` and job runs that
    /// started more than `jobRunsAge` before `now`; rollups are kept.
    func prune(now: Timestamp, transitionsAge: TimeSpan, jobRunsAge: TimeSpan) async throws -> HousekeepingResult

    /// Refreshes the query planner's statistics and returns freed space where the backend can (SQLite folds its write-ahead
    /// log into the file).
    func compact() async throws
}

/// How long rows are kept unless told otherwise: alert transitions (the history `vitals alerts history` shows) 400 days,
/// job runs 90 days. Raw samples follow the configured `retention`.
public enum HousekeepingAges {
    public static let transitions = TimeSpan.days(400)
    public static let jobRuns = TimeSpan.days(90)
}

/// What housekeeping deleted.
public struct HousekeepingResult: Sendable, Hashable {
    public var samples = 0
    public var alertTransitions = 0
    public var jobRuns = 0

    public init(samples: Int = 0, alertTransitions: Int = 0, jobRuns: Int = 0) {
        self.samples = samples
        self.alertTransitions = alertTransitions
        self.jobRuns = jobRuns
    }
}
