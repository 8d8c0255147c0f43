public import VitalsCore

/// Where the evaluation round keeps alert state between runs: the SQLite store in production.
///
/// The round reads everything it needs first, evaluates in memory, then writes what it produced with one
/// ``commit(slots:rules:)``: a crash before the commit ends leaves the store as the previous round left it, so the next
/// round recomputes the same transitions and the same outbox keys.
public protocol AlertStore: Sendable {
    /// The time (slot) each group was last evaluated at, by group name.
    func groupEvaluations() async throws -> [String: Timestamp]

    /// The stored state of every rule that has any; a rule without an entry starts from ``AlertRuleState/initial``.
    func alertStates() async throws -> [AlertRuleID: AlertRuleState]

    /// The silences in force at `instant` or starting later (expired ones are left out), by start then id.
    func silences(notEndedAt instant: Timestamp) async throws -> [Silence]

    /// Writes a round atomically: each evaluated group's slot (by group name), then each rule's new state, its transitions
    /// and its notifications into the outbox (ignoring any whose idempotency key is already there). Either all of it is
    /// written or, when it throws, nothing.
    func commit(slots: [String: Timestamp], rules: [AlertRoundRecord.RuleRecord]) async throws
}

extension AlertStore {
    /// Writes a whole round evaluated at one time, as ``commit(slots:rules:)`` does.
    public func commit(_ round: AlertRoundRecord) async throws {
        try await commit(slots: Dictionary(uniqueKeysWithValues: round.groups.map { ($0, round.evaluatedAt) }), rules: round.rules)
    }

    /// The pending and firing alerts, firing first, then by rule and labels.
    public func activeAlerts() async throws -> [StoredAlert] {
        try await alertStates().sorted { $0.key < $1.key }.flatMap { id, state in
            state.instances.filter { $0.phase == .firing || $0.phase == .pending }.map { StoredAlert(rule: id, instance: $0) }
        }
        .sorted {
            ($0.instance.phase == .firing ? 0 : 1, $0.rule, $0.instance.labels) < ($1.instance.phase == .firing ? 0 : 1, $1.rule, $1.instance.labels)
        }
    }
}
