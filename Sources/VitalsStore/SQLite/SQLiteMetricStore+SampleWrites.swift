import Foundation
import GRDB
import Synchronization
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore {
    /// The mark and what was written since `mark`, in one read transaction (one snapshot of the file).
    ///
    /// The changed rows are found through the partial index on `seq` (the samples written since, not the series' history);
    /// `CROSS JOIN` keeps SQLite from starting at the series of `names` and scanning all their samples instead.
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
                    SELECT series.id, series.labels, samples.ts, samples.value, series.name
                    FROM samples INDEXED BY samples_by_seq CROSS JOIN series ON series.id = samples.series_id
                    WHERE samples.seq > ? AND samples.seq > 0 AND series.name IN (SELECT value FROM json_each(?))
                    ORDER BY series.name, series.labels, samples.ts
                    """)
            try statement.setArguments([mark.sequence, namesJSON])
            let series = try gatherSeries(statement, name: nil, known: &known, learnt: &learnt, db)
            return (SampleChanges(mark: now, since: mark, series: series), learnt)
        }
        if !learnt.isEmpty { seriesKeys.withLock { $0.merge(learnt) { _, new in new } } }
        return changes
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
