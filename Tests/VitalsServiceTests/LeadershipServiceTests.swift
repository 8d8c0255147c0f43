import Foundation
import Synchronization
import Testing
import VitalsCore
import VitalsPorts
import VitalsService
import VitalsStore

/// Two daemons on one store (the SQLite lease, in memory), each running a job every minute while it leads, on one manual
/// clock.
@Suite struct LeadershipServiceTests {
    static let ttl = TimeSpan.seconds(30)
    static let start = Harness.time("2026-03-02T10:00:00Z")

    /// Which daemon ran the job at which minute, and when each became leader.
    final class Ledger: Sendable {
        private let state = Mutex<(runs: [(String, Timestamp)], terms: [(String, Timestamp)])>(([], []))
        func ran(_ holder: String, at instant: Timestamp) { state.withLock { $0.runs.append((holder, instant)) } }
        func led(_ holder: String, at instant: Timestamp) { state.withLock { $0.terms.append((holder, instant)) } }
        var runs: [(String, Timestamp)] { state.withLock { $0.runs } }
        var terms: [(String, Timestamp)] { state.withLock { $0.terms } }
    }

    /// A daemon whose job, every minute, notes its run in `ledger`, then does `work`.
    func daemon(
        _ holder: String, lease: any LeaderLease, clock: ManualClock, ledger: Ledger, work: @escaping @Sendable () async throws -> Void = {}
    ) throws -> LeadershipService<ManualClock> {
        let job = try Harness.job("* * * * *", name: "collect") {
            ledger.ran(holder, at: clock.now.timestamp)
            try await work()
        }
        return LeadershipService(lease: lease, holder: holder, ttl: Self.ttl, clock: clock.service, logger: Harness.quiet) { _, isCurrent in
            ledger.led(holder, at: clock.now.timestamp)
            return [JobScheduler(jobs: [job], clock: clock.service, log: MemoryJobLog(), logger: Harness.quiet, permission: isCurrent)]
        }
    }

    /// One store, a clock, and the leases of daemons a and b in front of the store.
    func pair() async throws -> (ManualClock, Ledger, ControllableLease, ControllableLease, SQLiteMetricStore) {
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(10))
        return (ManualClock(at: Self.start), Ledger(), ControllableLease(store), ControllableLease(store), store)
    }

    /// Starts daemon a, which takes the lease (it then sleeps twice: renewal and scheduler), then b, which waits; a runs in
    /// a task of its own so that a test can kill it alone.
    func startBoth(
        _ clock: ManualClock, _ ledger: Ledger, _ leaseA: ControllableLease, _ leaseB: ControllableLease,
        in group: inout ThrowingTaskGroup<Void, any Error>, work: [String: @Sendable () async throws -> Void] = [:]
    ) async -> Task<Void, any Error> {
        let a = try! daemon("a", lease: leaseA, clock: clock, ledger: ledger, work: work["a"] ?? {})
        let b = try! daemon("b", lease: leaseB, clock: clock, ledger: ledger, work: work["b"] ?? {})
        let first = Task { try await a.run() }
        _ = await clock.nextDeadline(sleepers: 2)
        group.addTask { try await b.run() }
        _ = await clock.nextDeadline(sleepers: 3)
        return first
    }

    /// Steps from deadline to deadline until `end`, letting the woken tasks settle between steps: every woken task has run
    /// again, no lease call is under way (the store works on threads of its own) and the sleepers are unchanged for a while.
    func step(_ clock: ManualClock, until end: Timestamp, leases: [ControllableLease]) async {
        while true {
            await settle(clock, leases)
            let deadline = await clock.nextDeadline()
            guard deadline <= end else { return }
            clock.advance(to: deadline)
        }
    }

    /// Waits until nothing has changed for 200 turns of this task and 20 ms. Turns alone were not enough: on a loaded
    /// machine the system can stop the thread running a woken scheduler between its lease check and its next sleep for
    /// longer than this task takes to yield hundreds of times, and the clock then moved past a minute the scheduler had not
    /// yet slept for (it ran the 10:05 run at 10:06:10). The time only bounds the wait for quiet; no test expectation
    /// depends on it.
    func settle(_ clock: ManualClock, _ leases: [ControllableLease]) async {
        let wall = ContinuousClock()
        var quietSince = wall.now
        var quiet = 0
        var sleepers = -1
        while quiet < 200 || wall.now - quietSince < .milliseconds(20) {
            await Task.yield()
            if clock.wakingCount > 0 || leases.contains(where: \.isBusy) || clock.sleeperCount != sleepers {
                quiet = 0
                quietSince = wall.now
                sleepers = clock.sleeperCount
            } else {
                quiet += 1
            }
        }
    }

    @Test func theStandbyTakesOverWithinAMinuteWhenTheLeaderDies() async throws {
        let (clock, ledger, leaseA, leaseB, _) = try await pair()
        let killedAt = Harness.time("2026-03-02T10:03:05Z")
        try await withThrowingTaskGroup(of: Void.self) { group in
            let first = await startBoth(clock, ledger, leaseA, leaseB, in: &group)
            await step(clock, until: killedAt, leases: [leaseA, leaseB])
            // a dies: it renews no more, and releases nothing.
            leaseA.kill()
            first.cancel()
            _ = await first.result
            await step(clock, until: Harness.time("2026-03-02T10:07:30Z"), leases: [leaseA, leaseB])
            group.cancelAll()
        }
        let runs = ledger.runs
        #expect(runs.filter { $0.0 == "a" }.map(\.1) == ["10:01", "10:02", "10:03"].map { Harness.time("2026-03-02T\($0):00Z") })
        let takeover = try #require(ledger.terms.first { $0.0 == "b" }?.1)
        #expect(takeover > killedAt && takeover <= killedAt.adding(.minutes(1)), "b took over at \(takeover)")
        #expect(runs.filter { $0.0 == "b" }.map(\.1).contains(Harness.time("2026-03-02T10:05:00Z")))
        #expect(Set(runs.map(\.1)).count == runs.count, "no minute ran twice: \(runs)")
    }

    @Test func aPausedLeaderFindsItsEpochStaleAndRunsNothingMore() async throws {
        let (clock, ledger, leaseA, leaseB, _) = try await pair()
        let pausedAt = Harness.time("2026-03-02T10:01:30Z")
        try await withThrowingTaskGroup(of: Void.self) { group in
            let first = await startBoth(clock, ledger, leaseA, leaseB, in: &group)
            await step(clock, until: pausedAt, leases: [leaseA, leaseB])
            // a stops answering (a stopped process, a stalled disk): its lease calls hang until it resumes.
            leaseA.pause()
            await step(clock, until: Harness.time("2026-03-02T10:04:30Z"), leases: [leaseA, leaseB])
            leaseA.resume()
            await step(clock, until: Harness.time("2026-03-02T10:06:30Z"), leases: [leaseA, leaseB])
            first.cancel()
            group.cancelAll()
        }
        let runs = ledger.runs
        #expect(runs.filter { $0.0 == "a" }.map(\.1) == [Harness.time("2026-03-02T10:01:00Z")])
        #expect(runs.filter { $0.0 == "b" }.map(\.1).contains(Harness.time("2026-03-02T10:06:00Z")))
        #expect(Set(runs.map(\.1)).count == runs.count, "no minute ran twice: \(runs)")
        #expect(ledger.terms.map(\.0) == ["a", "b"], "a went back to standby and stayed there")
    }
}

extension LeadershipServiceTests {
    /// Fencing per write: a leads and its job is under way when a stops answering; b takes the lease over (epoch 2); when
    /// a's job goes on, its write carries epoch 1, which the store refuses with a typed error, writing nothing.
    @Test func aPausedLeaderThatResumesMidRunCannotWrite() async throws {
        let (clock, ledger, leaseA, leaseB, store) = try await pair()
        let midRun = Gate()
        let attempted = StartCounter()
        let refusal = Refusal()
        @Sendable func write(_ holder: String) async throws {
            _ = try await store.write([Sample("fenced_write", ["holder": holder], kind: .gauge, at: clock.now.timestamp, value: 1)])
        }
        let work: [String: @Sendable () async throws -> Void] = [
            "a": {
                try await midRun.wait()
                do {
                    try await write("a")
                } catch {
                    refusal.set(error)
                }
                await attempted.started()
            },
            "b": { try await write("b") },
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            let first = await startBoth(clock, ledger, leaseA, leaseB, in: &group, work: work)
            await step(clock, until: Harness.time("2026-03-02T10:01:30Z"), leases: [leaseA, leaseB])
            #expect(ledger.runs.map(\.0) == ["a"], "a's job is under way")
            leaseA.pause()
            await step(clock, until: Harness.time("2026-03-02T10:04:30Z"), leases: [leaseA, leaseB])
            #expect(ledger.terms.map(\.0) == ["a", "b"])
            midRun.open()
            await attempted.waitFor(1)
            leaseA.resume()
            await step(clock, until: Harness.time("2026-03-02T10:05:30Z"), leases: [leaseA, leaseB])
            first.cancel()
            group.cancelAll()
        }
        let error = try #require(refusal.fenced, "a's write was not refused by its fence: \(refusal.other ?? "it went through")")
        #expect(error == LeaseFenceError(fence: WriteFence(epoch: 1), leaseEpoch: 2))
        #expect(error.description.contains("leader lease epoch 1") && error.description.contains("epoch 2"), "\(error)")
        let writers = try await store.series(named: "fenced_write").compactMap { $0.key.labels["holder"] }
        #expect(Set(writers) == ["b"], "only the new leader wrote")
    }
}

/// What a write that should have been refused threw.
final class Refusal: Sendable {
    private let state = Mutex<(fenced: LeaseFenceError?, other: String?)>((nil, nil))

    func set(_ error: any Error) {
        let fenced = error as? LeaseFenceError
        let other = fenced == nil ? "\(error)" : nil
        state.withLock { $0 = (fenced, other) }
    }

    var fenced: LeaseFenceError? { state.withLock { $0.fenced } }
    var other: String? { state.withLock { $0.other } }
}

/// A lease a test can make hang (paused) or fail (killed), in front of a real one.
final class ControllableLease: LeaderLease {
    enum Mode { case normal, paused, killed }
    struct Killed: Error {}

    let lease: any LeaderLease
    private let state = Mutex<(mode: Mode, waiting: [CheckedContinuation<Void, Never>], calls: Int)>((.normal, [], 0))

    /// Whether a call is under way (not counting calls held by a pause).
    var isBusy: Bool { state.withLock { $0.calls > 0 } }

    init(_ lease: any LeaderLease) {
        self.lease = lease
    }

    func pause() { state.withLock { $0.mode = .paused } }
    func kill() { state.withLock { $0.mode = .killed } }

    func resume() {
        let waiting = state.withLock { state in
            state.mode = .normal
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    private func gate() async throws {
        await withCheckedContinuation { continuation in
            let go = state.withLock { state -> Bool in
                guard state.mode == .paused else { return true }
                state.waiting.append(continuation)
                return false
            }
            if go { continuation.resume() }
        }
        if state.withLock({ $0.mode }) == .killed { throw Killed() }
    }

    private func call<T>(_ body: () async throws -> T) async throws -> T {
        try await gate()
        state.withLock { $0.calls += 1 }
        defer { state.withLock { $0.calls -= 1 } }
        return try await body()
    }

    func acquireOrRenew(holder: String, ttl: TimeSpan, now: Timestamp) async throws -> LeaseClaim {
        try await call { try await lease.acquireOrRenew(holder: holder, ttl: ttl, now: now) }
    }

    func release(holder: String, epoch: Int64) async throws {
        try await call { try await lease.release(holder: holder, epoch: epoch) }
    }

    func isCurrent(holder: String, epoch: Int64, now: Timestamp) async throws -> Bool {
        try await call { try await lease.isCurrent(holder: holder, epoch: epoch, now: now) }
    }
}
