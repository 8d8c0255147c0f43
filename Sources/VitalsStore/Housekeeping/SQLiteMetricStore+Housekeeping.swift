import GRDB
public import VitalsCore

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

/// The daily housekeeping (`vitals housekeeping`, `0 3 * * * housekeeping` in the shipped schedule): each kind of row kept
/// for its own age, then the write-ahead log folded into the file and SQLite's statistics refreshed.
extension SQLiteMetricStore {
    /// How long rows are kept unless told otherwise: alert transitions (the history `vitals alerts history` shows) 400 days,
    /// job runs 90 days. Raw samples follow the configured `retention`; rollups are never deleted.
    public static let defaultTransitionsAge = TimeSpan.days(400)
    public static let defaultJobRunsAge = TimeSpan.days(90)

    /// Deletes raw samples past the retention, alert transitions older than `transitionsAge` and job runs that started
    /// more than `jobRunsAge` before `now`.
    public func prune(now: Timestamp, transitionsAge: TimeSpan, jobRunsAge: TimeSpan) throws -> HousekeepingResult {
        var result = HousekeepingResult(samples: try applyRetention(now: now))
        try writing { db in
            try db.execute(sql: "DELETE FROM alert_transitions WHERE at < ?", arguments: [now.subtracting(transitionsAge).milliseconds])
            result.alertTransitions = db.changesCount
            try db.execute(sql: "DELETE FROM job_runs WHERE started < ?", arguments: [now.subtracting(jobRunsAge).milliseconds])
            result.jobRuns = db.changesCount
        }
        return result
    }

    /// Lets SQLite refresh the statistics its query planner uses (`PRAGMA optimize`), then copies the whole write-ahead log
    /// into the file and truncates it (waiting for readers, unlike ``checkpoint()``). Deleted pages stay in the file
    /// for reuse, so the file stops growing once retention deletes as much as the collections add.
    public func compact() throws {
        do {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA optimize") }
            if let pool = writer as? DatabasePool {
                try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: file, busyTimeout: busyTimeout)
        }
    }
}
