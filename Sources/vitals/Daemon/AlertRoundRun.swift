import VitalsCore
import VitalsRules
import VitalsService
import VitalsPorts

/// One alert round, recorded as a run of the source `alerts` and followed by a checkpoint: what `vitals alerts evaluate`
/// does once and the daemon does at every slot.
struct AlertRoundRun: SlottedRound {
    let round: AlertEvaluationRound
    let store: any StorePorts

    /// Evaluates the groups due at `now`; the rules that could not be evaluated make the recorded run a failed one.
    func evaluate(at now: Timestamp) async throws -> AlertRoundResult {
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await round.run(at: now, metrics: store, alerts: store)
        let failed = result.rules.filter { $0.error != nil }
        try await store.recordJobRun(
            JobRun(
                source: "alerts", started: now, finished: now.adding(TimeSpan(clock.now - started)), status: failed.isEmpty ? .ok : .failed,
                error: failed.isEmpty ? nil : failed.map { "\($0.rule): \($0.error!)" }.joined(separator: "; "), samplesWritten: 0))
        try await store.checkpoint()
        return result
    }

    func nextSlot(after instant: Timestamp) -> Timestamp? { round.nextSlot(after: instant) }

    func run(at now: Timestamp) async throws -> [SlotIteration] {
        try await evaluate(at: now).evaluated.map { SlotIteration(group: $0.group, slot: $0.at, missedSlots: $0.missedSlots) }
    }
}
