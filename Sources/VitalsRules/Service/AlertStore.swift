public import VitalsCore

/// Where the evaluation round keeps alert state between runs: the SQLite store in production.
///
/// The round reads everything it needs first, then evaluates in memory while ``commit(evaluatedAt:groups:records:)`` writes
/// the records it produces, in one transaction: a crash before the commit ends leaves the store as the previous round left
/// it, so the next round recomputes the same transitions and the same outbox keys.
public protocol AlertStore: Sendable {
    /// The time each group was last evaluated, by group name.
    func groupEvaluations() throws -> [String: Timestamp]

    /// The stored state of every rule that has any; a rule without an entry starts from ``AlertRuleState/initial``.
    func alertStates() throws -> [AlertRuleID: AlertRuleState]

    /// The silences in force at `instant` or starting later (expired ones are left out).
    func silences(notEndedAt instant: Timestamp) throws -> [Silence]

    /// Writes a round: each evaluated group's time, then each rule's new state, its transitions and its notifications into
    /// the outbox (ignoring any whose idempotency key is already there) as `records` yields them, all in one transaction.
    /// When `records` throws, nothing is written and the error is rethrown.
    func commit(evaluatedAt: Timestamp, groups: [String], records: AlertRecordFeed) throws
}

extension AlertStore {
    /// Writes a whole round at once, as ``commit(evaluatedAt:groups:records:)`` does.
    public func commit(_ round: AlertRoundRecord) throws {
        try commit(evaluatedAt: round.evaluatedAt, groups: round.groups, records: AlertRecordFeed(round.rules))
    }
}

/// Names one alerting rule: its group and its alert name (unique in a group, and group names unique across the rule files).
public struct AlertRuleID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let group: String
    public let alert: String

    public init(group: String, alert: String) {
        self.group = group
        self.alert = alert
    }

    public var description: String { "\(group)/\(alert)" }

    public static func < (lhs: AlertRuleID, rhs: AlertRuleID) -> Bool { (lhs.group, lhs.alert) < (rhs.group, rhs.alert) }
}
