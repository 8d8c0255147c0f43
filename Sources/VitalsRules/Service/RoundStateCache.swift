import Synchronization
import VitalsCore
import VitalsPorts

/// The alert state the last round of the same ``AlertEvaluationRound`` (the daemon's) committed, so the next round need
/// not read it back from the store.
///
/// It is used only while the store's last evaluation of every group is the one that round left: another process's round
/// (a new leader, a one-shot `alerts evaluate`) moves some group's evaluation on, and then the state is read again. As
/// with ``RoundSampleCache``, a round takes it out while it runs, so a round that fails leaves nothing behind.
final class RoundStateCache: Sendable {
    private struct Kept {
        /// The store committed to: a round value used with another store (a test's) reads that one's state.
        weak var alerts: (any AlertStore & AnyObject)?
        /// Every group's last evaluation in the store after the commit.
        var evaluations: [String: Timestamp]
        var states: [AlertRuleID: AlertRuleState]
    }
    private let kept = Mutex<Kept?>(nil)

    init() {}

    /// The stored state of every rule: the kept one when `evaluations` (the store's, read at the start of the round) are
    /// what the last round left, else read from `alerts`.
    func states(evaluations: [String: Timestamp], from alerts: any AlertStore) async throws -> [AlertRuleID: AlertRuleState] {
        let previous = kept.withLock { kept in
            defer { kept = nil }
            return kept
        }
        if let previous, let stored = previous.alerts, stored === alerts as AnyObject, previous.evaluations == evaluations { return previous.states }
        return try await alerts.alertStates()
    }

    /// Keeps what a round committed to `alerts`: `slots` on top of the `evaluations` it started from, and the `records`'
    /// states on top of the `states` it read.
    func keep(
        _ alerts: any AlertStore, evaluations: [String: Timestamp], slots: [String: Timestamp], states: [AlertRuleID: AlertRuleState],
        records: [AlertRoundRecord.RuleRecord]
    ) {
        var states = states
        for record in records { states[record.rule] = record.state }
        let kept = Kept(alerts: alerts as? any AlertStore & AnyObject, evaluations: evaluations.merging(slots) { _, slot in slot }, states: states)
        self.kept.withLock { $0 = kept }
    }
}
