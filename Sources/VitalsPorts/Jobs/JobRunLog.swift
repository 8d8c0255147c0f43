public import VitalsCore

/// The job-run log: one entry per run of a source, a scheduled job, an evaluation or a delivery, for "data as of" lines,
/// `/healthz` and catch-up after downtime.
public protocol JobRunLog: Sendable {
    /// Appends `run` to the log.
    func recordJobRun(_ run: JobRun) async throws

    /// At most `limit` runs, newest first (by start, then by the order they were recorded), of `source` or of all sources.
    func jobRuns(source: String?, limit: Int) async throws -> [JobRun]
}
