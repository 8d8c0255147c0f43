public import VitalsCore

/// What one evaluation of an alerting rule found.
public struct AlertEvaluationInput: Sendable {
    public var now: Timestamp
    /// The label sets for which the fire condition holds, with their values.
    public var firing: [Labels: AlertSample]
    /// The label sets for which the `resolve` condition holds (ignored for rules without one).
    public var resolving: Set<Labels>
    /// The label sets the expression returned no data for; the rule's `no_data` policy decides what that means.
    public var noData: Set<Labels>

    public init(now: Timestamp, firing: [Labels: AlertSample] = [:], resolving: Set<Labels> = [], noData: Set<Labels> = []) {
        self.now = now
        self.firing = firing
        self.resolving = resolving
        self.noData = noData
    }
}

/// What one evaluation changed.
public struct AlertEvaluation: Sendable, Equatable {
    public var state: AlertRuleState
    public var transitions: [AlertTransition]
    /// The notifications to put in the outbox.
    public var notifications: [AlertNotification]
    /// Notifications held back (silenced or flapping), for the alert history; repeated at each evaluation while held.
    public var held: [HeldNotification]

    public init(state: AlertRuleState, transitions: [AlertTransition] = [], notifications: [AlertNotification] = [], held: [HeldNotification] = []) {
        self.state = state
        self.transitions = transitions
        self.notifications = notifications
        self.held = held
    }
}

/// A notification the policy held back, and why.
public struct HeldNotification: Sendable, Equatable, Codable {
    public let notification: AlertNotification
    public let reason: NotificationDecision.HoldReason

    public init(_ notification: AlertNotification, reason: NotificationDecision.HoldReason) {
        self.notification = notification
        self.reason = reason
    }
}
