public import VitalsCore

/// An alert as `vitals alerts list` shows it: its rule and its stored state.
public struct StoredAlert: Sendable, Equatable {
    public let rule: AlertRuleID
    public let instance: AlertInstance

    public init(rule: AlertRuleID, instance: AlertInstance) {
        self.rule = rule
        self.instance = instance
    }
}

/// One line of the alert history: a transition of one rule's alert.
public struct AlertHistoryEntry: Sendable, Equatable {
    public let rule: AlertRuleID
    public let transition: AlertTransition

    public init(rule: AlertRuleID, transition: AlertTransition) {
        self.rule = rule
        self.transition = transition
    }
}

/// The record of alerts: what `vitals alerts list` and `history` and the report's alert section read.
public protocol AlertHistory: Sendable {
    /// The transitions at or after `since`, oldest first (in the order they were recorded at equal times).
    func alertHistory(since: Timestamp) async throws -> [AlertHistoryEntry]
}
