import PostgresNIO
public import VitalsCore
public import VitalsPorts

extension PostgresMetricStore {
    /// The mark and what was written since `mark`, found through the partial index on `seq`.
    ///
    /// The mark is read first and the samples after it (each statement sees what was committed when it started), so a write
    /// committed in between is read now and again next time, never missed.
    public func samplesWritten(named names: [String], since mark: SampleWriteMark?) async throws -> SampleChanges? {
        let instance = self.instance
        let (now, rows) = try await transaction { connection -> (SampleWriteMark, [(name: String, labels: String, points: [SamplePoint])]?) in
            var now: SampleWriteMark?
            for try await (sequence, epoch, removedBefore) in try await connection.query(
                "SELECT sequence, epoch, removed_before FROM sample_writes", logger: Self.logger
            ).decode((Int64, Int64, Int64?).self) {
                now = SampleWriteMark(
                    store: instance, epoch: epoch, sequence: sequence, removedBefore: removedBefore.map(Timestamp.init(milliseconds:)))
            }
            guard let now else { throw PostgresStoreError(database: database, message: "its table sample_writes has no row") }
            guard let mark, SampleChanges.canContinue(from: mark, to: now) else { return (now, nil) }
            var found: [(name: String, labels: String, points: [SamplePoint])] = []
            let rows = try await connection.query(
                """
                SELECT se.name, se.labels, s.ts, s.value FROM samples s JOIN series se ON se.id = s.series_id
                WHERE s.seq > \(mark.sequence) AND s.seq > 0 AND se.name = ANY(\(names)::text[])
                ORDER BY se.name COLLATE "C", se.labels COLLATE "C", s.ts
                """, logger: Self.logger)
            for try await (name, labels, ms, value) in rows.decode((String, String, Int64, Double).self) {
                if found.last?.name != name || found.last?.labels != labels { found.append((name, labels, [])) }
                found[found.count - 1].points.append(SamplePoint(Timestamp(milliseconds: ms), value))
            }
            return (now, found)
        }
        let series = try rows?.map { row in (key: SeriesKey(row.name, try labels(row.labels, of: row.name)), points: row.points) }
        return SampleChanges(mark: now, since: mark, series: series)
    }

    /// The sequence number of the write in `connection`'s transaction. The row stays locked until it commits, so writers
    /// commit in the order of their numbers; every writer of samples takes it first, so they lock in one order.
    static func nextWriteSequence(_ connection: PostgresConnection) async throws -> Int64 {
        var sequence: Int64 = 0
        for try await next in try await connection.query(
            "UPDATE sample_writes SET sequence = sequence + 1 RETURNING sequence", logger: logger
        ).decode(Int64.self) {
            sequence = next
        }
        return sequence
    }

    /// Tells readers that kept samples that some were moved: their marks from before no longer continue. Taken first in the
    /// transaction, as writes take their sequence number.
    static func advanceWriteEpoch(_ connection: PostgresConnection) async throws {
        try await connection.query("UPDATE sample_writes SET epoch = epoch + 1", logger: logger)
    }

    /// Records that retention removes every sample before `cutoff` (as SQLite's store does); first in the transaction.
    static func recordRetention(before cutoff: Int64, _ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE sample_writes SET epoch = epoch + CASE WHEN removed_before > \(cutoff) THEN 1 ELSE 0 END, removed_before = \(cutoff)
            """, logger: logger)
    }
}
