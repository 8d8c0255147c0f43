import GRDB
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore: JobRunLog {
    /// Appends a run to the job-run log.
    public func recordJobRun(_ run: JobRun) async throws {
        try await writing { db in
            try db.execute(
                sql: "INSERT INTO job_runs (source, scheduled, started, finished, status, error, samples_written) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    run.source.storable, run.scheduled?.milliseconds, run.started.milliseconds, run.finished.milliseconds, run.status.rawValue,
                    run.error?.storable,
                    run.samplesWritten,
                ])
        }
    }

    /// The newest runs first (by start, then by order recorded), of `source` or of all sources.
    public func jobRuns(source: String?, limit: Int) async throws -> [JobRun] {
        try await fetchRuns(source: source?.storable, status: nil, limit: limit)
    }

    /// The newest run of `source` that succeeded, for "data as of" lines and catch-up after downtime.
    public func lastSuccessfulRun(source: String) async throws -> JobRun? {
        try await fetchRuns(source: source.storable, status: .ok, limit: 1).first
    }

    private func fetchRuns(source: String?, status: JobRun.Status?, limit: Int) async throws -> [JobRun] {
        try await fetchRows(
            sql: """
                SELECT * FROM job_runs WHERE (?1 IS NULL OR source = ?1) AND (?2 IS NULL OR status = ?2)
                ORDER BY started DESC, id DESC LIMIT ?3
                """,
            arguments: [source, status?.rawValue, limit]
        ) { row in
            guard let status = JobRun.Status(rawValue: row["status"]) else {
                throw StoreError.corruptRow(file, "job run \(row["id"] as Int64) has status '\(row["status"] as String)'")
            }
            return JobRun(
                source: row["source"], scheduled: (row["scheduled"] as Int64?).map(Timestamp.init(milliseconds:)),
                started: Timestamp(milliseconds: row["started"]), finished: Timestamp(milliseconds: row["finished"]), status: status,
                error: row["error"], samplesWritten: row["samples_written"])
        }
    }
}
