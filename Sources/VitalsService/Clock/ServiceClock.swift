public import VitalsCore

/// The two kinds of time the daemon's services use: a `Clock` to sleep on, and the wall time jobs are scheduled in.
///
/// A service sleeps until a wall time by sleeping on the clock for the distance between them, then reads the wall time
/// again: a wall clock set back while it slept only makes it sleep once more. Tests pass a manual clock that is also the
/// wall clock, so a simulated year runs in well under a second; the daemon passes `ContinuousClock` and ``SystemClock``.
public struct ServiceClock<C: Clock>: Sendable where C.Duration == Duration {
    public let clock: C
    public let wall: any WallClock

    public init(clock: C, wall: any WallClock) {
        self.clock = clock
        self.wall = wall
    }

    /// The current wall time.
    public func now() -> Timestamp { wall.now() }

    /// Returns once the clock has run for as long as the wall time was before `target` (at once when it is not).
    public func sleep(until target: Timestamp) async throws {
        let delay = target.milliseconds - wall.now().milliseconds
        guard delay > 0 else { return }
        try await clock.sleep(until: clock.now.advanced(by: .milliseconds(delay)), tolerance: nil)
    }

    public func sleep(for span: TimeSpan) async throws {
        try await clock.sleep(until: clock.now.advanced(by: .milliseconds(span.milliseconds)), tolerance: nil)
    }
}

extension ServiceClock where C == ContinuousClock {
    /// The machine's clocks.
    public static var system: ServiceClock<ContinuousClock> { ServiceClock(clock: ContinuousClock(), wall: SystemClock()) }
}
