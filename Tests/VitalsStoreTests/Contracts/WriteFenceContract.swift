import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

/// What every backend does with a ``WriteFence``, against the ports only: a write made with a fence older than the lease's
/// epoch throws ``LeaseFenceError`` naming both and writes nothing; a write with the current fence, or none, writes; the
/// lease's own calls are never fenced.
enum WriteFenceContract {
    typealias Store = LeaderLease & MetricStore & JobRunLog & OutboxStore

    static let start = RFC3339.parse("2026-11-25T08:00:00Z")!
    static let ttl = TimeSpan.seconds(30)

    static func checkAll(_ make: () async throws -> any Store) async throws {
        try await aStaleFenceWritesNothing(make())
        try await withoutALeaseEveryFenceWrites(make())
    }

    static func sample(_ holder: String, minute: Int64) -> Sample {
        Sample("fenced_write", ["holder": holder], kind: .gauge, at: start.adding(.minutes(minute)), value: 1)
    }

    static func run(_ source: String) -> JobRun {
        JobRun(source: source, started: start, finished: start, status: .ok, samplesWritten: 1)
    }

    /// Every kind of write the three ports make, by `holder`.
    static func writeAll(_ store: any Store, _ holder: String) async throws {
        _ = try await store.write([sample(holder, minute: 1)])
        try await store.recordJobRun(run(holder))
        _ = try await store.enqueue(
            key: holder, payload: .report(ReportMessage(name: holder, title: holder, bodies: [:])), channels: ["audit"], at: start, force: false)
    }

    static func aStaleFenceWritesNothing(_ store: any Store) async throws {
        guard case .held(let first, _) = try await store.acquireOrRenew(holder: "a", ttl: ttl, now: start) else {
            Issue.record("a free lease was refused")
            return
        }
        try await WriteFence.$current.withValue(WriteFence(epoch: first)) { try await writeAll(store, "a") }
        // a is paused past its expiry; b takes over.
        guard case .held(let second, _) = try await store.acquireOrRenew(holder: "b", ttl: ttl, now: start.adding(.minutes(1))) else {
            Issue.record("an expired lease was refused")
            return
        }
        #expect(second > first)
        let stale = WriteFence(epoch: first)
        try await WriteFence.$current.withValue(stale) { () async throws in
            await #expect(throws: LeaseFenceError(fence: stale, leaseEpoch: second)) { _ = try await store.write([sample("a", minute: 2)]) }
            await #expect(throws: LeaseFenceError(fence: stale, leaseEpoch: second)) { try await store.recordJobRun(run("a late")) }
            await #expect(throws: LeaseFenceError(fence: stale, leaseEpoch: second)) {
                _ = try await store.enqueue(
                    key: "a late", payload: .report(ReportMessage(name: "late", title: "late", bodies: [:])), channels: ["audit"], at: start,
                    force: false)
            }
            // The lease's own calls are not fenced: a learns it lost the lease.
            #expect(try await !store.isCurrent(holder: "a", epoch: first, now: start.adding(.seconds(70))))
            #expect(
                try await store.acquireOrRenew(holder: "a", ttl: ttl, now: start.adding(.seconds(70)))
                    == .heldByOther(holder: "b", epoch: second, expires: start.adding(.minutes(1)).adding(ttl)))
        }
        // Nothing of a's late writes was kept.
        let points = try await store.samples(of: SeriesKey("fenced_write", ["holder": "a"]), in: Period(from: start, to: start.adding(.hours(1))))
        #expect(points.map(\.timestamp) == [start.adding(.minutes(1))])
        #expect(try await store.jobRuns(source: "a late", limit: 10).isEmpty)
        #expect(try await store.deliveries(status: nil).map(\.message.idempotencyKey) == ["a"])
        // The new leader writes, and so does work that carries no fence (a one-shot command).
        try await WriteFence.$current.withValue(WriteFence(epoch: second)) { try await writeAll(store, "b") }
        try await writeAll(store, "one-shot")
        #expect(try await store.jobRuns(source: nil, limit: 10).count == 3)
    }

    /// A store no daemon ever led has no epoch to compare with: fenced writes go through.
    static func withoutALeaseEveryFenceWrites(_ store: any Store) async throws {
        try await WriteFence.$current.withValue(WriteFence(epoch: 7)) { try await writeAll(store, "a") }
        #expect(try await store.jobRuns(source: "a", limit: 10).count == 1)
    }
}

@Suite struct WriteFenceContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheWriteFenceContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any WriteFenceContract.Store).self) { make in try await WriteFenceContract.checkAll { try await make() } }
    }
}
