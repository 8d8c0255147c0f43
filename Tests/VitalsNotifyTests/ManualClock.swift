import Foundation
import Synchronization
import VitalsCore

/// A clock whose sleeps return at once, moving its time to the end of the sleep: time-dependent delivery (rate limits,
/// backoffs, flushing) is tested without waiting. ``timestamp`` is the `now` source the dispatcher reads.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    let start: Timestamp
    private let state = Mutex<(now: Instant, sleeps: [Duration])>((Instant(offset: .zero), []))

    init(start: Timestamp) {
        self.start = start
    }

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .milliseconds(1) }

    /// Every sleep asked for, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(state.now.duration(to: deadline))
            if state.now < deadline { state.now = deadline }
        }
    }

    func advance(by duration: Duration) { state.withLock { $0.now = $0.now.advanced(by: duration) } }

    var timestamp: Timestamp {
        let offset = now.offset.components
        return Timestamp(milliseconds: start.milliseconds + offset.seconds * 1000 + offset.attoseconds / 1_000_000_000_000_000)
    }
}
