import Foundation
import GRDB
import Testing
import VitalsCore
import VitalsStore

/// The store beside other connections to its file. SQLite locks connections of one process against each other as it locks
/// processes, so another connection here stands for another `vitals` process (the CLI tests run real ones).
@Suite struct LockingTests {
    static let everything = Period(from: time("2026-01-01"), to: time("2027-01-01"))

    /// Another connection that holds the write lock (`BEGIN IMMEDIATE`) until `ROLLBACK`.
    static func writeLockHolder(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: path, configuration: configuration)
        try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        return holder
    }

    static func release(_ holder: DatabaseQueue) throws {
        try holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
    }

    /// Overlapping runs both checkpoint when they finish; the one that finds the other checkpointing skips its own.
    @Test func aCheckpointWhileAnotherConnectionCheckpointsIsSkipped() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let store = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        try await store.write(CounterFixture.samples)
        let holder = try Self.writeLockHolder(path)
        // A full checkpoint takes the checkpoint lock, then waits in its busy handler for the write lock the holder keeps.
        let waiting = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        var configuration = Configuration()
        configuration.busyMode = .callback { _ in
            waiting.signal()
            release.wait()
            return false
        }
        let checkpointer = try DatabaseQueue(path: path, configuration: configuration)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? checkpointer.writeWithoutTransaction { try $0.checkpoint(.full) }
            finished.signal()
        }
        waiting.wait()
        await #expect(throws: Never.self) { try await store.checkpoint() }
        release.signal()
        finished.wait()
        try Self.release(holder)
        try await store.checkpoint()
        #expect(try await store.samples(of: CounterFixture.key, in: Self.everything) == CounterFixture.points)
    }

    /// Opening and reading never wait for a writer; a write that waits longer than the busy timeout says the store is locked.
    @Test func readsGoOnWhileAnotherConnectionWritesAndAWriteThatWaitsTooLongSaysLocked() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        // Another process that has written and is writing again, so the write-ahead log is there, as it is while a collection runs.
        let running = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        try await running.write(CounterFixture.samples)
        let holder = try Self.writeLockHolder(path)
        defer { try? Self.release(holder) }
        let store = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400), busyTimeout: .milliseconds(200))
        #expect(try await store.samples(of: CounterFixture.key, in: Self.everything) == CounterFixture.points)
        let error = try await #require(throws: StoreError.self) { try await store.write(CounterFixture.samples) }
        #expect(error == .locked)
        #expect(
            error.description
                == "\(path): the store is locked: another process held its write lock for more than 0.2 s; "
                + "run again when it has finished (overlapping vitals runs wait for each other up to that long)")
    }

    /// Two writers take turns: the second waits for the first's transaction instead of failing.
    @Test func aWriterWaitsForAnotherConnectionsTransaction() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let first = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        let second = try await SQLiteMetricStore(path: path, timeZone: berlin, retention: .days(400))
        let other = SeriesKey(CounterFixture.key.name, ["env": "staging"])
        let otherSamples = CounterFixture.points.map {
            Sample(SeriesDescriptor(other, kind: .counter, unit: .count), at: $0.timestamp, value: $0.value)
        }
        for _ in 0..<20 {
            async let a: Int = first.write(CounterFixture.samples)
            async let b: Int = second.write(otherSamples)
            _ = try await (a, b)
        }
        #expect(try await first.samples(of: other, in: Self.everything) == CounterFixture.points)
        #expect(try await second.samples(of: CounterFixture.key, in: Self.everything) == CounterFixture.points)
    }
}
