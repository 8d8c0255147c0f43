public import VitalsCore

/// One run of a scheduled job, as the scheduler reports it to the job-run log.
public struct JobRunRecord: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case ok
        case failed
        /// Stopped when it ran past its timeout.
        case timedOut = "timed_out"
        /// Not started because the job's previous run was still going.
        case skipped
    }

    public let job: String
    /// The run time it belongs to (a late run's is in the past).
    public let scheduled: Timestamp
    public let started: Timestamp
    public let finished: Timestamp
    public let status: Status
    /// Whether it started late: a catch-up run after the daemon was down, or a start well past its time.
    public let late: Bool
    /// What went wrong (failed, timed out) or why it did not run (skipped).
    public let error: String?

    public init(job: String, scheduled: Timestamp, started: Timestamp, finished: Timestamp, status: Status, late: Bool, error: String?) {
        self.job = job
        self.scheduled = scheduled
        self.started = started
        self.finished = finished
        self.status = status
        self.late = late
        self.error = error
    }
}

/// Where the scheduler records its runs, and learns at start which runs it has done (for catch-up).
public protocol JobRunRecorder: Sendable {
    func record(_ run: JobRunRecord) async throws

    /// The run time of the job's newest recorded run (its start, for a log that does not keep run times); nil when the
    /// job never ran. A run time after it that passed while the daemon was down is a candidate for catch-up.
    func latestRun(of job: String) async throws -> Timestamp?
}
