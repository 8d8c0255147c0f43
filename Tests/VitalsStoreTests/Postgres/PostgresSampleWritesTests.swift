import Foundation
import PostgresNIO
import Testing
import VitalsCore
import VitalsPorts
@testable import VitalsStorePostgres
import VitalsTestSupport

/// The write history (`samplesWritten(named:since:)`) on PostgreSQL beyond the contract: writers that do not wait for one
/// another, yet no write missed; retention ordered with writes; a database of version 4 migrated.
extension PostgresStoreTests {
    static func sample(_ series: String, minutes: Int64, _ value: Double) -> Sample {
        Sample("m", ["s": series], kind: .gauge, unit: .count, at: start.adding(.minutes(minutes)), value: value)
    }

    /// Starts writing `samples` with `store` and returns once every row is written, the write's transaction held open until
    /// `release` is finished; and the write's task.
    static func writeHeldOpen(_ samples: [Sample], with store: PostgresMetricStore) async -> (write: Task<Int, any Error>, release: AsyncStream<Void>.Continuation) {
        let (written, wrote) = AsyncStream<Void>.makeStream()
        let (release, released) = AsyncStream<Void>.makeStream()
        let write = Task {
            defer { wrote.finish() }
            return try await store.write(
                samples,
                beforeCommit: {
                    wrote.finish()
                    for await _ in release {}
                })
        }
        for await _ in written {}
        return (write, released)
    }

    /// Write `a` begins first and is held open once its rows are written; write `b` begins after it and commits without
    /// waiting for it (writers taking turns would wait here until the time limit); a read in between sees `b` only. Once
    /// `a` commits, the next read from that read's mark finds it. A mark at the highest transaction id (or sequence number)
    /// seen would pass `a` by for good: its id is lower than `b`'s.
    @Test(.timeLimit(.minutes(1))) func aWriteCommittingAfterALaterOneIsFoundByTheNextRead() async throws {
        try await withDatabase { database in
            let reader = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
            let writer = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
            defer {
                reader.close()
                writer.close()
            }
            try await writer.write([Self.sample("a", minutes: 0, 0)])
            try await reader.write([Self.sample("b", minutes: 0, 0)])
            let cold = try #require(try await reader.samplesWritten(named: ["m"], since: nil))
            let (late, released) = await Self.writeHeldOpen([Self.sample("a", minutes: 1, 1)], with: writer)
            defer { released.finish() }
            try await reader.write([Self.sample("b", minutes: 1, 1)])
            let between = try #require(try await reader.samplesWritten(named: ["m"], since: cold.mark))
            #expect(between.series?.map(\.key) == [SeriesKey("m", ["s": "b"])])
            released.finish()
            _ = try await late.value
            let after = try #require(try await reader.samplesWritten(named: ["m"], since: between.mark))
            let series = try #require(after.series)
            #expect(series.first { $0.key == SeriesKey("m", ["s": "a"]) }?.points == [SamplePoint(Self.start.adding(.minutes(1)), 1)])
            // Nothing is under way now: the next read finds nothing, and its mark stays while nothing is written.
            let idle = try #require(try await reader.samplesWritten(named: ["m"], since: after.mark))
            #expect(idle.series?.isEmpty == true)
            #expect(try await reader.samplesWritten(named: ["m"], since: idle.mark)?.mark == idle.mark)
        }
    }

    /// Retention waits for a write under way and deletes its samples older than the cutoff too, so that a reader told to drop
    /// what it kept from before the cutoff drops nothing still stored. Not waiting, it would delete the sample committed
    /// before and leave the one under way; the test watches `pg_locks` until retention waits (or has deleted).
    @Test(.timeLimit(.minutes(1))) func retentionWaitsForAWriteUnderWay() async throws {
        try await withDatabase { database in
            let writer = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(30))
            let keeper = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(30))
            defer {
                writer.close()
                keeper.close()
            }
            try await writer.write([Self.sample("a", minutes: 0, 0)])
            let (late, released) = await Self.writeHeldOpen([Self.sample("a", minutes: 1, 1)], with: writer)
            defer { released.finish() }
            // The cutoff is an hour after both samples, in the month that holds them.
            let retention = Task { try await keeper.applyRetention(now: Self.start.adding(.days(30)).adding(.hours(1))) }
            try await keeper.reading { connection in
                var waiting = false
                while !waiting {
                    let query: PostgresQuery = """
                        SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
                            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())), (SELECT count(*) FROM samples)
                        """
                    for try await (blocked, left) in try await connection.query(query, logger: PostgresMetricStore.logger).decode((Int, Int).self) {
                        waiting = blocked > 0 || left == 0
                    }
                }
            }
            released.finish()
            _ = try await late.value
            #expect(try await retention.value == 2)
            #expect(try await keeper.samples(of: SeriesKey("m", ["s": "a"]), in: Period(from: Self.start, to: Self.start.adding(.hours(1)))).isEmpty)
        }
    }

    /// A database of version 4 keeps its samples, numbered by its own sequence (here far above the cluster's transaction
    /// ids, which those numbers mean nothing beside). Migrated, they are left out of the write history, a write after the
    /// first mark is found, and a mark taken before the migration is not continued.
    @Test func aDatabaseOfVersion4LeavesItsSequenceNumbersBehind() async throws {
        try await withDatabase { database in
            let old = SeriesKey("m", ["s": "old"])
            let month = SampleMonth(holding: Self.start.milliseconds)
            let statements = Self.schema(ofVersion: 4) + [
                "INSERT INTO metadata (key, value) VALUES ('day_time_zone', '\(utc.identifier)')",
                "CREATE TABLE \(month.table) PARTITION OF samples FOR VALUES FROM (\(month.start)) TO (\(month.end))",
                "INSERT INTO series (name, labels, kind, unit) VALUES ('m', '\(old.labels.canonical)', 'gauge', 'count')",
                "INSERT INTO samples (series_id, ts, value, seq) SELECT id, \(Self.start.milliseconds), 5, 1000000000 FROM series",
                "UPDATE sample_writes SET sequence = 1000000000, epoch = 7",
            ]
            for statement in statements { _ = try await query(database, statement, as: Int.self) }
            let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
            defer { store.close() }
            #expect(try await query(database, "SELECT epoch FROM sample_writes", as: Int64.self) == [8])
            let before = SampleWriteMark(store: store.instance, epoch: 7, sequence: 1_000_000_000, removedBefore: nil)
            #expect(try await store.samplesWritten(named: ["m"], since: before)?.series == nil)
            let cold = try #require(try await store.samplesWritten(named: ["m"], since: nil))
            try await store.write([Self.sample("new", minutes: 1, 1)])
            let warm = try #require(try await store.samplesWritten(named: ["m"], since: cold.mark))
            #expect(warm.series?.map(\.key) == [SeriesKey("m", ["s": "new"])])
            #expect(try await store.samples(of: old, in: Period(from: Self.start, to: Self.start.adding(.hours(1)))).map(\.value) == [5])
        }
    }
}
