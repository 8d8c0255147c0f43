import PostgresNIO
public import VitalsCore
public import VitalsPorts

extension PostgresMetricStore: LatestSampleReader, StoreMaintenance {
    /// Each series with its newest raw sample or, when that is older or gone, the last value of its newest hourly rollup; in
    /// one query, each lookup a descent of a primary key. Sorted by name, then labels bytewise, as the SQLite store does.
    public func latestSamples() async throws -> [(series: SeriesDescriptor, sample: SamplePoint)] {
        let rows = try await transaction { connection in
            var rows: [(String, String, String, String, Int64?, Double?, Int64?, Double?)] = []
            let query: PostgresQuery = """
                SELECT se.name, se.labels, se.kind, se.unit, raw.ts, raw.value, hourly.last_ts, hourly.last FROM series se
                LEFT JOIN LATERAL (SELECT ts, value FROM samples WHERE series_id = se.id ORDER BY ts DESC LIMIT 1) AS raw ON true
                LEFT JOIN LATERAL (SELECT last_ts, last FROM hourly_rollups WHERE series_id = se.id ORDER BY bucket_start DESC LIMIT 1) AS hourly ON true
                WHERE raw.ts IS NOT NULL OR hourly.last_ts IS NOT NULL
                ORDER BY se.name COLLATE "C", se.labels COLLATE "C"
                """
            for try await row in try await connection.query(query, logger: Self.logger)
                .decode((String, String, String, String, Int64?, Double?, Int64?, Double?).self)
            {
                rows.append(row)
            }
            return rows
        }
        return try rows.map { name, labels, kind, unit, rawTime, rawValue, hourTime, hourValue in
            let raw = zip(rawTime, rawValue).map { SamplePoint(Timestamp(milliseconds: $0), $1) }
            let rolledUp = zip(hourTime, hourValue).map { SamplePoint(Timestamp(milliseconds: $0), $1) }
            let sample = [raw, rolledUp].compactMap(\.self).max { $0.timestamp < $1.timestamp }!
            return (try descriptor(name: name, labels: labels, kind: kind, unit: unit), sample)
        }
    }

    /// The database's size on disk (`pg_database_size`), what its tables, indexes and write-ahead records take.
    public func sizeInBytes() async throws -> Int64 {
        try await transaction { connection in
            var size: Int64 = 0
            for try await found in try await connection.query("SELECT pg_database_size(current_database())", logger: Self.logger).decode(Int64.self) {
                size = found
            }
            return size
        }
    }

    /// Deletes raw samples past the retention (whole months by dropping their partitions), alert transitions older than
    /// `transitionsAge` and job runs that started more than `jobRunsAge` before `now`, and empties the write history
    /// (readers of it read in full once).
    public func prune(now: Timestamp, transitionsAge: TimeSpan, jobRunsAge: TimeSpan) async throws -> HousekeepingResult {
        let samples = try await applyRetention(now: now)
        let transitionsCutoff = now.subtracting(transitionsAge).milliseconds
        let runsCutoff = now.subtracting(jobRunsAge).milliseconds
        let (transitions, runs) = try await writing { connection in
            var counts: (Int, Int) = (0, 0)
            let query: PostgresQuery = """
                WITH transitions AS (DELETE FROM alert_transitions WHERE at < \(transitionsCutoff) RETURNING 1),
                    runs AS (DELETE FROM job_runs WHERE started < \(runsCutoff) RETURNING 1)
                SELECT (SELECT count(*) FROM transitions), (SELECT count(*) FROM runs)
                """
            for try await row in try await connection.query(query, logger: Self.logger).decode((Int, Int).self) { counts = row }
            return counts
        }
        // Waits for the writes under way, so none of them records a change after the history was emptied.
        try await writing(holding: .exclusive) { connection in try await Self.restartWriteHistory(connection) }
        return HousekeepingResult(samples: samples, alertTransitions: transitions, jobRuns: runs)
    }

    /// Refreshes the planner's statistics (`ANALYZE`); autovacuum reclaims the space of deleted rows, and retention frees
    /// whole months by dropping their partitions.
    public func compact() async throws {
        // ANALYZE runs outside a transaction block as well as in one; on a pooled connection, no transaction is needed.
        try await reading { session in _ = try await session.query("ANALYZE") }
    }
}

/// Both values, when both are there (a pair of nullable columns read together).
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
