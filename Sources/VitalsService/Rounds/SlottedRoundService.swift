public import CoreMetrics
public import Logging
public import ServiceLifecycle
public import VitalsCore

/// Work done at aligned instants ("slots"), such as the alert rules' evaluation rounds: each group of work has its own
/// grid of slots, and a round evaluates the groups whose slot has come.
public protocol SlottedRound: Sendable {
    /// The first slot of any group strictly after `instant`; nil when there is nothing to evaluate.
    func nextSlot(after instant: Timestamp) -> Timestamp?

    /// Evaluates the groups due at `now`, each at its slot, and says which (with the slots each passed over).
    func run(at now: Timestamp) async throws -> [SlotIteration]
}

/// A group evaluated in a round: its slot, and how many of its slots passed since its last evaluation without one.
public struct SlotIteration: Sendable, Hashable {
    public let group: String
    public let slot: Timestamp
    public let missedSlots: Int

    public init(group: String, slot: Timestamp, missedSlots: Int) {
        self.group = group
        self.slot = slot
        self.missedSlots = missedSlots
    }
}

/// Runs a ``SlottedRound`` at each slot: sleeps until the next slot of any group (nothing wakes in between), runs the
/// round there, and counts each group's iterations and missed slots (`vitals_rule_group_iterations_total`,
/// `vitals_rule_group_iterations_missed_total`, as Prometheus names them, with a `rule_group` label) and the time each
/// round took (`vitals_round_duration_seconds{round}`, under the service's `name`). A round that fails is logged and the
/// next slot tried; the round value lives as long as the service, so what it prepared stays warm.
public final class SlottedRoundService<C: Clock>: Service where C.Duration == Duration {
    /// What the rounds are, in logs and metrics: `alerts`, `outbox`.
    let name: String
    let round: any SlottedRound
    let clock: ServiceClock<C>
    let logger: Logger
    let metrics: any MetricsFactory
    let permission: @Sendable () async -> Bool
    let whenIdle: @Sendable () -> Void

    /// `whenIdle` is called after each round, when the service goes back to sleep until the next slot.
    public init(
        name: String, round: any SlottedRound, clock: ServiceClock<C>, logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory,
        permission: @escaping @Sendable () async -> Bool = { true }, whenIdle: @escaping @Sendable () -> Void = {}
    ) {
        self.whenIdle = whenIdle
        self.name = name
        self.round = round
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.permission = permission
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            guard let slot = round.nextSlot(after: clock.now()) else {
                // No groups: nothing to do until the daemon stops.
                try? await gracefulShutdown()
                return
            }
            do {
                try await cancelWhenGracefulShutdown { [clock] in try await clock.sleep(until: slot) }
            } catch {
                return
            }
            guard await permission() else { throw LeadershipLost() }
            let started = clock.now()
            defer {
                CoreMetrics.Timer(label: "vitals_round_duration_seconds", dimensions: [("round", name)], factory: metrics)
                    .recordMilliseconds(clock.now().milliseconds - started.milliseconds)
            }
            do {
                for iteration in try await round.run(at: started) {
                    let dimensions = [("rule_group", iteration.group)]
                    Counter(label: "vitals_rule_group_iterations_total", dimensions: dimensions, factory: metrics).increment()
                    if iteration.missedSlots > 0 {
                        Counter(label: "vitals_rule_group_iterations_missed_total", dimensions: dimensions, factory: metrics)
                            .increment(by: iteration.missedSlots)
                        logger.warning(
                            "rule group missed slots", metadata: ["group": "\(iteration.group)", "missed": "\(iteration.missedSlots)"])
                    }
                }
            } catch {
                logger.error("round failed", metadata: ["round": "\(name)", "error": "\(error)"])
            }
            whenIdle()
        }
    }
}
