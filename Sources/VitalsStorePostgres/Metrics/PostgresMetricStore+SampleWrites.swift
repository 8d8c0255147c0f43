import Foundation
import PostgresNIO
public import VitalsCore
public import VitalsPorts

/// How a transaction holds the sample-write lock (``PostgresMetricStore/sampleWriteLock``).
enum SampleWriteLock {
    /// A write of samples: writers share the lock, so they never wait for one another.
    case shared
    /// Retention and relabelling, which remove or move samples: they wait for the writes under way and hold new ones off.
    case exclusive
}

extension PostgresMetricStore {
    /// The advisory lock of sample writes ("vitals" and 4). A write of samples takes it shared first in its transaction, before
    /// it has a transaction id, and holds it to its end: the readers of the write history find the writes under way by it.
    static let sampleWriteLock: Int64 = 0x7669_7461_6C73_0004

    /// The mark and what was written since `mark`, found through the index on `sample_changes.write_xid`.
    ///
    /// Every write records, per series, its transaction id (`pg_current_xact_id()`: 64 bits, never wrapping around) and the
    /// first and last time it set (`sample_changes`), so writers need not wait for one another; the samples of a series
    /// between those times are read (those the write did not set among them too, which a reader merging by time does not
    /// notice). A mark's sequence is one below the id of every write the read does not see, and the next read takes the
    /// writes with a greater id. A write the read does not see is in progress in its
    /// snapshot, or gets its id after the snapshot, above every id the snapshot sees; so the mark is the least of the highest
    /// id seen and, less one, each id in progress in the snapshot (`pg_snapshot_xip`). Whenever such a write commits, the next
    /// read finds it; a write seen while an earlier one was still under way is read again, which readers allow.
    ///
    /// The ids in progress are the whole cluster's: those that are no write of samples here are left out, so that the mark
    /// stays where it is while no samples are written. A write of samples holds ``sampleWriteLock`` from before it has an id
    /// to its end, and `pg_locks` is read before the snapshot is taken: an id whose holder does not hold that lock then is
    /// another's, and a write of samples is never taken for another's (running then, it held the lock; begun later, its id
    /// was not in `pg_locks`).
    ///
    /// What was written since is read after the mark, in parts (one per core here) on pooled connections at once: a round of
    /// the daemon finds a sample of every series written since the last (10,000 index lookups of a few microseconds). A part
    /// reads with a snapshot later than the mark's, so it finds every write up to the mark, and maybe some after it, which
    /// the next read finds again.
    public func samplesWritten(named names: [String], since mark: SampleWriteMark?) async throws -> SampleChanges? {
        let now = try await writeMark()
        guard let mark, SampleChanges.canContinue(from: mark, to: now) else { return SampleChanges(mark: now, since: mark, series: nil) }
        let parts = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let rows = try await withThrowingTaskGroup(of: [(name: String, labels: String, points: [SamplePoint])].self) { tasks in
            for part in 0..<parts {
                tasks.addTask { try await self.changedSeries(named: names, since: mark.sequence, part: part, of: parts) }
            }
            var rows: [(name: String, labels: String, points: [SamplePoint])] = []
            for try await found in tasks { rows += found }
            // Bytewise, as the parts sort (COLLATE "C"); no series is in two parts.
            return rows.sorted { left, right in
                left.name == right.name
                    ? left.labels.utf8.lexicographicallyPrecedes(right.labels.utf8) : left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
            }
        }
        let series = try rows.map { row in (key: SeriesKey(row.name, try labels(row.labels, of: row.name)), points: row.points) }
        return SampleChanges(mark: now, since: mark, series: series)
    }

    /// The mark of what this store's reads have seen now (see ``samplesWritten(named:since:)``).
    private func writeMark() async throws -> SampleWriteMark {
        let instance = self.instance
        return try await transaction { connection in
            let others = try await Self.transactionsOfOthers(connection)
            var now: SampleWriteMark?
            for try await (sequence, epoch, removedBefore) in try await connection.query(
                """
                SELECT least(
                    (SELECT coalesce(max(write_xid), 0) FROM sample_changes),
                    (SELECT min(x::text::int8) - 1 FROM pg_snapshot_xip(pg_current_snapshot()) AS x
                        WHERE x::text::int8 % 4294967296 <> ALL(\(others)::int8[]))),
                    epoch, removed_before
                FROM sample_writes
                """, logger: Self.logger
            ).decode((Int64, Int64, Int64?).self) {
                now = SampleWriteMark(
                    store: instance, epoch: epoch, sequence: sequence, removedBefore: removedBefore.map(Timestamp.init(milliseconds:)))
            }
            guard let now else { throw PostgresStoreError(database: database, message: "its table sample_writes has no row") }
            return now
        }
    }

    /// The series named in `names` (those whose id is `part` modulo `parts`) that writes with an id above `sequence` set
    /// samples of, bytewise by name and labels, each with its samples between the first and last time a write set, oldest
    /// first, each time once.
    private func changedSeries(
        named names: [String], since sequence: Int64, part: Int, of parts: Int
    ) async throws -> [(name: String, labels: String, points: [SamplePoint])] {
        try await reading { connection in
            var found: [(name: String, labels: String, points: [SamplePoint])] = []
            // Each change's samples are looked up by its series and times (a lateral join plans as index lookups; a plain join
            // was planned as a scan of a month of samples whenever the statistics of `sample_changes` lagged behind).
            let rows = try await connection.query(
                """
                SELECT se.name COLLATE "C", se.labels COLLATE "C", s.points
                FROM sample_changes c JOIN series se ON se.id = c.series_id
                CROSS JOIN LATERAL (\(unescaped: Self.packedPoints(where: "series_id = c.series_id AND ts >= c.first_ts AND ts <= c.last_ts"))) s
                WHERE c.write_xid > \(sequence) AND c.series_id % \(Int64(parts)) = \(Int64(part)) AND se.name = ANY(\(names)::text[])
                    AND s.points IS NOT NULL
                ORDER BY 1, 2
                """, logger: Self.logger)
            var repeated = false
            for try await (name, labels, packed) in rows.decode((String, String, ByteBuffer).self) {
                let points = Self.points(unpacking: packed)
                if found.last?.name == name, found.last?.labels == labels {
                    found[found.count - 1].points += points
                    repeated = true
                } else {
                    found.append((name, labels, points))
                }
            }
            // A series changed by several writes since `sequence` came as a row per write, whose times may overlap: its points
            // are sorted and each time kept once (all read in one snapshot, so a time repeated holds one value).
            if repeated {
                for index in found.indices {
                    found[index].points.sort { $0.timestamp < $1.timestamp }
                    found[index].points = found[index].points.enumerated()
                        .filter { $0.offset == 0 || found[index].points[$0.offset - 1].timestamp != $0.element.timestamp }.map(\.element)
                }
            }
            return found
        }
    }

    /// The transaction ids (their low 32 bits, as `pg_locks` shows them) of the transactions now running that are no write of
    /// samples in this database: each holds its own id's lock and not ``sampleWriteLock`` here. One read of `pg_locks`,
    /// which the server takes whole.
    static func transactionsOfOthers(_ connection: Session) async throws -> [Int64] {
        var ids: [Int64] = []
        for try await id in try await connection.query(
            """
            WITH locks AS MATERIALIZED (
                SELECT locktype, database, classid, objid, objsubid, transactionid, virtualtransaction, mode, granted FROM pg_locks)
            SELECT transactionid::text::int8 FROM locks
            WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted AND virtualtransaction NOT IN (
                SELECT virtualtransaction FROM locks
                WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND classid::int8 = \(sampleWriteLock >> 32)
                    AND objid::int8 = \(sampleWriteLock & 0xFFFF_FFFF) AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
            """, logger: logger
        ).decode(Int64.self) {
            ids.append(id)
        }
        return ids
    }

    /// Takes ``sampleWriteLock`` as `lock` says, until the transaction ends.
    static func take(_ lock: SampleWriteLock, _ connection: Session) async throws {
        switch lock {
        case .shared: try await connection.query("SELECT pg_advisory_xact_lock_shared(\(sampleWriteLock))", logger: logger)
        case .exclusive: try await connection.query("SELECT pg_advisory_xact_lock(\(sampleWriteLock))", logger: logger)
        }
    }

    /// Empties the write history (housekeeping, so it does not grow without end) and starts a new epoch, so a reader whose mark
    /// is from before reads in full once; in a transaction holding ``sampleWriteLock`` exclusively.
    static func restartWriteHistory(_ connection: Session) async throws {
        try await connection.query(
            """
            WITH emptied AS (DELETE FROM sample_changes RETURNING 1)
            UPDATE sample_writes SET epoch = epoch + 1 WHERE EXISTS (SELECT 1 FROM emptied)
            """, logger: logger)
    }

    /// Tells readers that kept samples that some were moved: their marks from before no longer continue. In a transaction
    /// holding ``sampleWriteLock`` exclusively, so that no write of samples is under way.
    static func advanceWriteEpoch(_ connection: Session) async throws {
        try await connection.query("UPDATE sample_writes SET epoch = epoch + 1", logger: logger)
    }

    /// Records that retention removes every sample before `cutoff` (as SQLite's store does); in a transaction holding
    /// ``sampleWriteLock`` exclusively.
    static func recordRetention(before cutoff: Int64, _ connection: Session) async throws {
        try await connection.query(
            """
            UPDATE sample_writes SET epoch = epoch + CASE WHEN removed_before > \(cutoff) THEN 1 ELSE 0 END, removed_before = \(cutoff)
            """, logger: logger)
    }
}
