import Foundation
import GRDB
import Synchronization
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore {
    /// The mark and what was written since `mark`, in one read transaction (one snapshot of the file).
    ///
    /// The history has a row per write and series (`sample_changes`: the first and last time the write set); the samples
    /// of each series between those times are read by the primary key, so a sample the write did not set but which lies
    /// between two it did is read again too, which a reader that merges by time does not notice. `CROSS JOIN` keeps SQLite
    /// starting from the history rows since the mark rather than from the series of `names` and all their samples.
    public func samplesWritten(named names: [String], since mark: SampleWriteMark?) async throws -> SampleChanges? {
        let namesJSON = String(decoding: try JSONEncoder().encode(names), as: UTF8.self)
        let (changes, learnt) = try await reading { [instance] db in
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, epoch, removed_before FROM sample_writes"))!
            let removedBefore: Int64? = row[2]
            let now = SampleWriteMark(
                store: instance, epoch: row[1], sequence: row[0], removedBefore: removedBefore.map(Timestamp.init(milliseconds:)))
            if seenEpoch.withLock({ seen in
                defer { seen = now.epoch }
                return seen != nil && seen != now.epoch
            }) {
                forgetSeries()
            }
            guard let mark, SampleChanges.canContinue(from: mark, to: now) else {
                return (SampleChanges(mark: now, since: mark, series: nil), [Int64: SeriesKey]())
            }
            var known = seriesKeys.withLock { $0 }
            var learnt: [Int64: SeriesKey] = [:]
            let statement = try db.cachedStatement(
                sql: """
                    SELECT DISTINCT series.id, series.labels, samples.ts, samples.value, series.name
                    FROM sample_changes AS changes CROSS JOIN series ON series.id = changes.series_id
                    CROSS JOIN samples ON samples.series_id = changes.series_id AND samples.ts BETWEEN changes.first_ts AND changes.last_ts
                    WHERE changes.seq > ? AND series.name IN (SELECT value FROM json_each(?))
                    ORDER BY series.name, series.labels, samples.ts
                    """)
            try statement.setArguments([mark.sequence, namesJSON])
            let series = try gatherSeries(statement, name: nil, known: &known, learnt: &learnt, db)
            return (SampleChanges(mark: now, since: mark, series: series), learnt)
        }
        if !learnt.isEmpty { seriesKeys.withLock { $0.merge(learnt) { _, new in new } } }
        return changes
    }

    /// Empties the write history (housekeeping, so it does not grow without end) and starts a new epoch: a reader whose mark
    /// is from before reads in full once. Nothing happens when the history is empty already.
    static func restartWriteHistory(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM sample_changes")
        if db.changesCount > 0 { try advanceWriteEpoch(db) }
    }

    /// Tells readers that kept samples that some were moved: their marks from before no longer continue.
    static func advanceWriteEpoch(_ db: Database) throws {
        try db.execute(sql: "UPDATE sample_writes SET epoch = epoch + 1")
    }

    /// Records that retention removed every sample before `cutoff`, so readers drop what they kept from before it; a cutoff
    /// earlier than the last (a longer retention) ends the epoch, since the samples between them are gone already.
    static func recordRetention(before cutoff: Int64, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE sample_writes SET epoch = epoch + CASE WHEN removed_before > ?1 THEN 1 ELSE 0 END, removed_before = ?1", arguments: [cutoff])
    }
}
