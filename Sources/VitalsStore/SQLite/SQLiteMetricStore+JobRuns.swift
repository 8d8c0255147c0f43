import GRDB
public import VitalsCore

extension SQLiteMetricStore {
    /// Appends a run to the job-run log.
    public func recordJobRun(_ run: JobRun) throws {
        try writing { db in
            try db.execute(
                sql: "INSERT INTO job_runs (source, started, finished, status, error, samples_written) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [run.source, run.started.milliseconds, run.finished.milliseconds, run.status.rawValue, run.error, run.samplesWritten])
        }
    }

    /// The newest runs first (by start, then by order recorded), of `source` or of all sources.
    public func jobRuns(source: String?, limit: Int) throws -> [JobRun] {
        try fetchRuns(source: source, status: nil, limit: limit)
    }

    /// The newest run of `source` that succeeded, for "data as of" lines and catch-up after downtime.
    public func lastSuccessfulRun(source: String) throws -> JobRun? {
        try fetchRuns(source: source, status: .ok, limit: 1).first
    }

    private func fetchRuns(source: String?, status: JobRun.Status?, limit: Int) throws -> [JobRun] {
        let rows = try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM job_runs WHERE (?1 IS NULL OR source = ?1) AND (?2 IS NULL OR status = ?2)
                    ORDER BY started DESC, id DESC LIMIT ?3
                    """,
                arguments: [source, status?.rawValue, limit])
        }
        return try rows.map { row in
            guard let status = JobRun.Status(rawValue: row["status"]) else {
                throw StoreError.corruptRow(file, "job run \(row["id"] as Int64) has status '\(row["status"] as String)'")
            }
            return JobRun(
                source: row["source"], started: Timestamp(milliseconds: row["started"]), finished: Timestamp(milliseconds: row["finished"]),
                status: status, error: row["error"], samplesWritten: row["samples_written"])
        }
    }
}
