public import VitalsCore

/// Everything one evaluation round writes, committed together.
public struct AlertRoundRecord: Sendable, Equatable {
    public var evaluatedAt: Timestamp
    /// The groups evaluated in this round; each one's last evaluation time becomes `evaluatedAt`.
    public var groups: [String]
    public var rules: [RuleRecord]

    public init(evaluatedAt: Timestamp, groups: [String], rules: [RuleRecord]) {
        self.evaluatedAt = evaluatedAt
        self.groups = groups
        self.rules = rules
    }

    /// What one rule's evaluation changed.
    public struct RuleRecord: Sendable, Equatable {
        public var rule: AlertRuleID
        public var state: AlertRuleState
        /// Whether `state.instances` differ from the stored ones; the commit rewrites a rule's instances only then.
        public var instancesChanged: Bool
        /// The instances stored before this round, when the round knows them (those its evaluation started from): a store
        /// may then write only the instances that differ from them and delete those gone. Nil: not known, and a store
        /// replaces the rule's instances with `state.instances` whole.
        public var previousInstances: [AlertInstance]?
        public var transitions: [AlertTransition]
        public var notifications: [QueuedNotification]

        public init(
            rule: AlertRuleID, state: AlertRuleState, instancesChanged: Bool = true, previousInstances: [AlertInstance]? = nil,
            transitions: [AlertTransition], notifications: [QueuedNotification]
        ) {
            self.rule = rule
            self.state = state
            self.instancesChanged = instancesChanged
            self.previousInstances = previousInstances
            self.transitions = transitions
            self.notifications = notifications
        }
    }
}

/// A notification on its way to the outbox, with the one-line summary a channel shows.
public struct QueuedNotification: Sendable, Equatable {
    public var notification: AlertNotification
    public var summary: String

    public init(_ notification: AlertNotification, summary: String) {
        self.notification = notification
        self.summary = summary
    }
}
