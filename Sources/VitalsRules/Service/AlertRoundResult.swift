public import VitalsCore
public import VitalsPorts

/// What one evaluation round did, for `vitals alerts evaluate` to print.
public struct AlertRoundResult: Sendable, Equatable {
    public var now: Timestamp
    /// The groups evaluated, in rule-file order.
    public var evaluated: [EvaluatedGroup]
    /// The groups not due yet, with when they next are.
    public var notDue: [NotDueGroup]
    /// One entry per evaluated alerting rule, in rule-file order.
    public var rules: [RuleOutcome]

    public init(now: Timestamp, evaluated: [EvaluatedGroup] = [], notDue: [NotDueGroup] = [], rules: [RuleOutcome] = []) {
        self.now = now
        self.evaluated = evaluated
        self.notDue = notDue
        self.rules = rules
    }

    public var transitions: [AlertTransition] { rules.flatMap(\.transitions) }
    public var notifications: [QueuedNotification] { rules.flatMap(\.notifications) }

    /// A group evaluated in the round: the slot it was evaluated at, and how many slots passed since its last evaluation
    /// without one (rounds that did not run, or ran too late for a slot).
    public struct EvaluatedGroup: Sendable, Equatable {
        public let group: String
        public let at: Timestamp
        public let missedSlots: Int

        public init(group: String, at: Timestamp, missedSlots: Int = 0) {
            self.group = group
            self.at = at
            self.missedSlots = missedSlots
        }
    }

    public struct NotDueGroup: Sendable, Equatable {
        public let group: String
        public let dueAt: Timestamp

        public init(group: String, dueAt: Timestamp) {
            self.group = group
            self.dueAt = dueAt
        }
    }

    /// What evaluating one rule produced.
    public struct RuleOutcome: Sendable, Equatable {
        public var rule: AlertRuleID
        public var transitions: [AlertTransition] = []
        public var notifications: [QueuedNotification] = []
        public var held: [HeldNotification] = []
        /// Label sets whose data is missing at this evaluation (the rule's `no_data` policy decided what it meant).
        public var noData: [Labels] = []
        /// Why the rule could not be evaluated; its state is then left as it was.
        public var error: EvaluationError?

        public init(rule: AlertRuleID) {
            self.rule = rule
        }
    }
}
