public import VitalsCore

/// The daily housekeeping a backend does for itself (`vitals housekeeping`, `0 3 * * * housekeeping` in the shipped
/// schedule): each kind of row kept for its own age, then the space and statistics tidied.
public protocol StoreMaintenance: Sendable {
    /// Deletes raw samples past the store's retention, alert transitions older than `transitionsAge` and job runs that
    /// started more than `jobRunsAge` before `now`; rollups are kept. A store may restart its write history here
    /// (``MetricStore/samplesWritten(named:since:)`` answers nil for a mark from before), so the history does not grow
    /// without end.
    func prune(now: Timestamp, transitionsAge: TimeSpan, jobRunsAge: TimeSpan) async throws -> HousekeepingResult

    /// Refreshes the query planner's statistics and returns freed space where the backend can (SQLite folds its write-ahead
    /// log into the file).
    func compact() async throws
}

/// How long rows are kept unless told otherwise: alert transitions (the history `vitals alerts history` shows) 400 days,
/// job runs 90 days, outbox messages 30 days after their last delivery ended (delivered or dead). Raw samples follow the
/// configured `retention`.
public enum HousekeepingAges {
    public static let transitions = TimeSpan.days(400)
    public static let jobRuns = TimeSpan.days(90)
    public static let outbox = TimeSpan.days(30)
}

/// One housekeeping pass, as `vitals housekeeping` runs it: every kind of row pruned at its age, then the store compacted.
public struct Housekeeping: Sendable {
    public var transitionsAge: TimeSpan
    public var jobRunsAge: TimeSpan
    public var outboxAge: TimeSpan

    public init(
        transitionsAge: TimeSpan = HousekeepingAges.transitions, jobRunsAge: TimeSpan = HousekeepingAges.jobRuns,
        outboxAge: TimeSpan = HousekeepingAges.outbox
    ) {
        self.transitionsAge = transitionsAge
        self.jobRunsAge = jobRunsAge
        self.outboxAge = outboxAge
    }

    /// Prunes `store` as of `now` and compacts it; returns what was deleted.
    public func run(on store: some StoreMaintenance & OutboxStore, now: Timestamp) async throws -> HousekeepingResult {
        var result = try await store.prune(now: now, transitionsAge: transitionsAge, jobRunsAge: jobRunsAge)
        result.outboxMessages = try await store.prune(finishedBefore: now.subtracting(outboxAge))
        try await store.compact()
        return result
    }
}

/// What housekeeping deleted.
public struct HousekeepingResult: Sendable, Hashable {
    public var samples = 0
    public var alertTransitions = 0
    public var jobRuns = 0
    /// Outbox messages, with their deliveries.
    public var outboxMessages = 0

    public init(samples: Int = 0, alertTransitions: Int = 0, jobRuns: Int = 0, outboxMessages: Int = 0) {
        self.samples = samples
        self.alertTransitions = alertTransitions
        self.jobRuns = jobRuns
        self.outboxMessages = outboxMessages
    }
}
