import GRDB
public import VitalsCore
public import VitalsPorts

/// The daily housekeeping (`vitals housekeeping`, `0 3 * * * housekeeping` in the shipped schedule): each kind of row kept
/// for its own age, then the write-ahead log folded into the file and SQLite's statistics refreshed.
extension SQLiteMetricStore: StoreMaintenance {
    /// Deletes raw samples past the retention, alert transitions older than `transitionsAge` and job runs that started
    /// more than `jobRunsAge` before `now`, and empties the write history (readers of it read in full once).
    public func prune(now: Timestamp, transitionsAge: TimeSpan, jobRunsAge: TimeSpan) async throws -> HousekeepingResult {
        let samples = try await applyRetention(now: now)
        let (transitions, jobRuns) = try await writing { db in
            try db.execute(sql: "DELETE FROM alert_transitions WHERE at < ?", arguments: [now.subtracting(transitionsAge).milliseconds])
            let transitions = db.changesCount
            try db.execute(sql: "DELETE FROM job_runs WHERE started < ?", arguments: [now.subtracting(jobRunsAge).milliseconds])
            let jobRuns = db.changesCount
            try Self.restartWriteHistory(db)
            return (transitions, jobRuns)
        }
        return HousekeepingResult(samples: samples, alertTransitions: transitions, jobRuns: jobRuns)
    }

    /// Lets SQLite refresh the statistics its query planner uses (`PRAGMA optimize`), then copies the whole write-ahead log
    /// into the file and truncates it (waiting for readers, unlike ``checkpoint()``). Deleted pages stay in the file
    /// for reuse, so the file stops growing once retention deletes as much as the collections add.
    public func compact() async throws {
        do {
            try await writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA optimize") }
            if let pool = writer as? DatabasePool {
                try await pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: file, busyTimeout: busyTimeout)
        }
    }
}
