import Synchronization
public import VitalsCore

/// What the scheduler says about its loop: when it last woke, and when it means to wake next. The loop sleeps until its
/// next job, so an old beat alone is not a fault; a wake-up time long past is.
public struct SchedulerHeartbeat: Sendable, Equatable {
    public var lastBeat: Timestamp
    /// When the loop plans to wake next; nil when it has nothing scheduled.
    public var nextWake: Timestamp?

    public init(lastBeat: Timestamp, nextWake: Timestamp?) {
        self.lastBeat = lastBeat
        self.nextWake = nextWake
    }
}

/// Where a ``JobScheduler`` leaves its heartbeat at each turn of its loop, for `GET /healthz` to read. One monitor outlives
/// the schedulers of the daemon's terms as leader: it reads nil while no scheduler runs (a standby), so there is no loop
/// to judge.
public final class SchedulerHeartbeatMonitor: Sendable {
    private let beat = Mutex<SchedulerHeartbeat?>(nil)

    public init() {}

    /// The newest heartbeat; nil while no scheduler runs.
    public var current: SchedulerHeartbeat? { beat.withLock { $0 } }

    func set(_ heartbeat: SchedulerHeartbeat?) { beat.withLock { $0 = heartbeat } }
}
