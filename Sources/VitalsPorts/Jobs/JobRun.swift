public import VitalsCore

/// One run of a source, as kept in the job-run log.
public struct JobRun: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case ok
        case failed
        /// Nothing to read: a source searching its default places found no input (no coverage file, say). Not a failure.
        case skipped
    }

    public let source: String
    /// The time the schedule had the run at, for a run the daemon started on its schedule; nil for a run started by hand.
    /// A run that started later than it was scheduled (a catch-up after downtime) shows by the difference.
    public let scheduled: Timestamp?
    public let started: Timestamp
    public let finished: Timestamp
    public let status: Status
    /// What went wrong, for a failed run, or why a skipped run had nothing to read; never contains a secret.
    public let error: String?
    public let samplesWritten: Int

    public init(
        source: String, scheduled: Timestamp? = nil, started: Timestamp, finished: Timestamp, status: Status, error: String? = nil, samplesWritten: Int
    ) {
        self.source = source
        self.scheduled = scheduled
        self.started = started
        self.finished = finished
        self.status = status
        self.error = error
        self.samplesWritten = samplesWritten
    }
}
