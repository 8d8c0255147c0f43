import PostgresNIO
public import VitalsCore
public import VitalsPorts

extension PostgresMetricStore: JobRunLog {
    /// Appends a run to the job-run log.
    public func recordJobRun(_ run: JobRun) async throws {
        try await writing { connection in
            try await connection.query(
                """
                INSERT INTO job_runs (source, scheduled, started, finished, status, error, samples_written)
                VALUES (\(run.source.storable), \(run.scheduled?.milliseconds), \(run.started.milliseconds), \(run.finished.milliseconds),
                    \(run.status.rawValue), \(run.error?.storable), \(Int64(run.samplesWritten)))
                """, logger: Self.logger)
        }
    }

    /// The newest runs first (by start, then by order recorded), of `source` or of all sources.
    public func jobRuns(source: String?, limit: Int) async throws -> [JobRun] {
        let source = source?.storable
        let rows = try await transaction { connection in
            var found: [(Int64, String, Int64?, Int64, Int64, String, String?, Int64)] = []
            let rows = try await connection.query(
                """
                SELECT id, source, scheduled, started, finished, status, error, samples_written FROM job_runs
                WHERE \(source)::text IS NULL OR source = \(source) ORDER BY started DESC, id DESC LIMIT \(Int64(limit))
                """, logger: Self.logger)
            for try await row in rows.decode((Int64, String, Int64?, Int64, Int64, String, String?, Int64).self) { found.append(row) }
            return found
        }
        return try rows.map { id, source, scheduled, started, finished, status, error, written in
            guard let status = JobRun.Status(rawValue: status) else {
                throw PostgresStoreError(database: database, message: "job run \(id) has status '\(status)'")
            }
            return JobRun(
                source: source, scheduled: scheduled.map(Timestamp.init(milliseconds:)), started: Timestamp(milliseconds: started),
                finished: Timestamp(milliseconds: finished), status: status, error: error, samplesWritten: Int(written))
        }
    }
}

extension PostgresMetricStore: SourceStateStore {
    public func sourceState(of source: String) async throws -> [String: String] {
        let source = source.storable
        return try await transaction { connection in
            var state: [String: String] = [:]
            for try await (key, value) in try await connection.query(
                "SELECT key, value FROM source_state WHERE source = \(source)", logger: Self.logger
            ).decode((String, String).self) {
                state[key] = value
            }
            return state
        }
    }

    public func sourceState(of source: String, key: String) async throws -> String? {
        try await transaction { connection in
            var found: String?
            for try await value in try await connection.query(
                "SELECT value FROM source_state WHERE source = \(source.storable) AND key = \(key.storable)", logger: Self.logger
            ).decode(String.self) {
                found = value
            }
            return found
        }
    }

    public func sourceState(of source: String, keysStartingWith prefix: String) async throws -> [String: String] {
        try await transaction { connection in
            var state: [String: String] = [:]
            // starts_with, not LIKE: a prefix may hold `%` and `_`.
            for try await (key, value) in try await connection.query(
                "SELECT key, value FROM source_state WHERE source = \(source.storable) AND starts_with(key, \(prefix.storable))", logger: Self.logger
            ).decode((String, String).self) {
                state[key] = value
            }
            return state
        }
    }

    public func updateSourceState(_ changes: [String: String?], of source: String) async throws {
        guard !changes.isEmpty else { return }
        let source = source.storable
        let changes = changes.storable
        let set = changes.compactMapValues { $0 }
        let setKeys = Array(set.keys)
        let setValues = setKeys.map { set[$0]! }
        let forgotten = changes.filter { $0.value == nil }.map(\.key)
        try await writing { connection in
            try await connection.query(
                "DELETE FROM source_state WHERE source = \(source) AND key = ANY(\(forgotten)::text[])", logger: Self.logger)
            try await connection.query(
                """
                INSERT INTO source_state (source, key, value) SELECT \(source), * FROM unnest(\(setKeys)::text[], \(setValues)::text[])
                ON CONFLICT (source, key) DO UPDATE SET value = excluded.value
                """, logger: Self.logger)
        }
    }

    public func setSourceState(_ state: [String: String], of source: String) async throws {
        let source = source.storable
        let state = state.storable
        let keys = Array(state.keys)
        let values = keys.map { state[$0]! }
        try await writing { connection in
            try await connection.query("DELETE FROM source_state WHERE source = \(source)", logger: Self.logger)
            try await connection.query(
                "INSERT INTO source_state (source, key, value) SELECT \(source), * FROM unnest(\(keys)::text[], \(values)::text[])",
                logger: Self.logger)
        }
    }
}
