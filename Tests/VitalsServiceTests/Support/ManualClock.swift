import Synchronization
import VitalsCore
import VitalsService

/// A clock that moves only when a test advances it; it is also the wall clock, so the scheduler's wall time and its sleeps
/// agree. `sleep(until:)` suspends until the clock is advanced to the deadline (or the sleeping task is cancelled).
///
/// Tests step it from one sleeper's deadline to the next (``nextDeadline()``, then ``advance(to:)``), so a simulated
/// year takes as many steps as there are wake-ups, and nothing waits for real time.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        /// Time since the Unix epoch, so that an instant is a wall time too.
        var sinceEpoch: Duration

        func advanced(by duration: Duration) -> Instant { Instant(sinceEpoch: sinceEpoch + duration) }
        func duration(to other: Instant) -> Duration { other.sinceEpoch - sinceEpoch }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.sinceEpoch < rhs.sinceEpoch }

        init(sinceEpoch: Duration) { self.sinceEpoch = sinceEpoch }
        init(_ timestamp: Timestamp) { sinceEpoch = .milliseconds(timestamp.milliseconds) }

        var timestamp: Timestamp {
            let (seconds, attoseconds) = sinceEpoch.components
            return Timestamp(milliseconds: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
    }

    private struct Sleeper {
        let id: Int
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var sleepers: [Sleeper] = []
        var nextID = 0
        var watchers: [CheckedContinuation<Void, Never>] = []
        /// Sleepers that ``advance(to:)`` woke and that have not run again yet.
        var waking: Set<Int> = []
    }

    private let state: Mutex<State>

    init(at start: Timestamp) {
        state = Mutex(State(now: Instant(start)))
    }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    /// The clock as the wall time.
    var wall: some WallClock { Wall(clock: self) }

    private struct Wall: WallClock {
        let clock: ManualClock
        func now() -> Timestamp { clock.now.timestamp }
    }

    var service: ServiceClock<ManualClock> { ServiceClock(clock: self, wall: wall) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        // Woken by `advance`: the task runs again here, so it no longer counts as waking.
        defer { _ = state.withLock { $0.waking.remove(id) } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, watchers) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if deadline <= state.now || Task.isCancelled { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    defer { state.watchers = [] }
                    return (false, state.watchers)
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
                for watcher in watchers { watcher.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock to `instant` (never back), waking every sleeper whose deadline it reaches.
    func advance(to instant: Timestamp) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, Instant(instant))
            let due = state.sleepers.filter { $0.deadline <= state.now }
            state.sleepers.removeAll { $0.deadline <= state.now }
            state.waking.formUnion(due.map(\.id))
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    func advance(by span: TimeSpan) { advance(to: now.timestamp.adding(span)) }

    /// The earliest deadline of the tasks sleeping on this clock, once at least `sleepers` tasks sleep on it.
    func nextDeadline(sleepers: Int = 1) async -> Timestamp {
        while true {
            if let deadline = state.withLock({ $0.sleepers.count >= sleepers ? $0.sleepers.map(\.deadline).min() : nil }) {
                return deadline.timestamp
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let sleeping = state.withLock { state -> Bool in
                    if state.sleepers.count >= sleepers { return true }
                    state.watchers.append(continuation)
                    return false
                }
                if sleeping { continuation.resume() }
            }
        }
    }

    /// How many tasks sleep on this clock now.
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// How many tasks ``advance(to:)`` woke that have not run again yet: on a busy machine a woken task can wait long for a
    /// thread, and a test that steps on meanwhile would leave it behind.
    var wakingCount: Int { state.withLock { $0.waking.count } }
}
