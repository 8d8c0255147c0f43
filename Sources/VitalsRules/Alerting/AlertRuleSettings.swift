public import VitalsCore

/// What the state machine needs to know about an alerting rule.
public struct AlertRuleSettings: Sendable, Equatable {
    public var group: String
    public var alert: String
    /// Which rule of that name in the group it is (``AlertRuleID/ordinal``).
    public var ordinal: Int
    public var holdDuration: TimeSpan
    public var keepFiringFor: TimeSpan
    public var cooldown: TimeSpan
    /// Whether the rule has a `resolve` condition: then a firing alert resolves only when it holds (hysteresis).
    public var hasResolveCondition: Bool
    public var noData: NoDataPolicy
    public var sendResolved: Bool
    /// Extra labels silences match on besides the instance's (`alertname` and the rule's static labels).
    public var ruleLabels: Labels
    public var channels: [String]

    public init(
        group: String, alert: String, ordinal: Int = 0, holdDuration: TimeSpan = TimeSpan(milliseconds: 0),
        keepFiringFor: TimeSpan = TimeSpan(milliseconds: 0), cooldown: TimeSpan = Rule.defaultCooldown, hasResolveCondition: Bool = false,
        noData: NoDataPolicy = .ok, sendResolved: Bool = true, ruleLabels: Labels = .empty, channels: [String] = []
    ) {
        self.group = group
        self.alert = alert
        self.ordinal = ordinal
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.cooldown = cooldown
        self.hasResolveCondition = hasResolveCondition
        self.noData = noData
        self.sendResolved = sendResolved
        self.ruleLabels = ruleLabels.setting("alertname", to: alert)
        self.channels = channels
    }

    /// The settings of an alerting rule loaded from a file, the `ordinal`-th (from 0) of its name in the group.
    public init(_ rule: Rule, group: RuleGroup, ordinal: Int = 0) {
        self.init(
            group: group.name, alert: rule.name, ordinal: ordinal, holdDuration: rule.holdDuration, keepFiringFor: rule.keepFiringFor,
            cooldown: rule.cooldown, hasResolveCondition: rule.resolve != nil, noData: rule.noData, sendResolved: rule.sendResolved,
            ruleLabels: Labels(group.labels.merging(rule.labels) { _, ruleValue in ruleValue }), channels: rule.notify)
    }
}
