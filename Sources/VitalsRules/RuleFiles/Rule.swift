public import VitalsCore

/// One entry of a group's `rules:`: an alerting rule (`alert:`) or a recording rule (`record:`), with vitals' extensions.
public struct Rule: Sendable, Equatable {
    /// Whether the rule raises alerts or records a new series.
    public enum Kind: String, Sendable, Equatable {
        case alert
        case record
    }

    public var kind: Kind
    /// The alert name or the recorded metric name.
    public var name: String
    /// The fire condition; with `thresholds`, the left-hand side the thresholds compare.
    public var expr: RuleExpression
    /// How long the condition must hold before the alert fires (`for:`, default 0).
    public var holdDuration: TimeSpan
    /// How long a firing alert stays firing after its condition clears (`keep_firing_for:`, default 0).
    public var keepFiringFor: TimeSpan
    public var labels: [String: String]
    public var annotations: [String: String]
    /// The shortest time between two notifications that say the alert is firing (`cooldown:`, default 4h).
    public var cooldown: TimeSpan
    /// The condition a firing alert must meet to resolve (`resolve:`); without it, the fire condition clearing resolves it.
    public var resolve: RuleExpression?
    public var thresholds: Thresholds?
    /// The labels notifications are grouped by (`group_key:`).
    public var groupKey: [String]
    public var noData: NoDataPolicy
    /// The channels notified (`notify:`); empty means the configured default channels.
    public var notify: [String]
    public var sendResolved: Bool
    /// How far back the expression looks for the latest sample (`lookback:`); nil means the evaluator's default.
    public var lookback: TimeSpan?
    /// Where the rule's mapping starts.
    public var position: SourcePosition
    /// Where each key of the rule's mapping was written (`for`, `labels`, ...), for messages about that key.
    public var keyPositions: [String: SourcePosition]

    public init(
        kind: Kind, name: String, expr: RuleExpression, holdDuration: TimeSpan = TimeSpan(milliseconds: 0),
        keepFiringFor: TimeSpan = TimeSpan(milliseconds: 0), labels: [String: String] = [:], annotations: [String: String] = [:],
        cooldown: TimeSpan = Rule.defaultCooldown, resolve: RuleExpression? = nil, thresholds: Thresholds? = nil, groupKey: [String] = [],
        noData: NoDataPolicy = .ok, notify: [String] = [], sendResolved: Bool = true, lookback: TimeSpan? = nil,
        position: SourcePosition = SourcePosition(file: "<rule>", line: 1, column: 1), keyPositions: [String: SourcePosition] = [:]
    ) {
        self.kind = kind
        self.name = name
        self.expr = expr
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.cooldown = cooldown
        self.resolve = resolve
        self.thresholds = thresholds
        self.groupKey = groupKey
        self.noData = noData
        self.notify = notify
        self.sendResolved = sendResolved
        self.lookback = lookback
        self.position = position
        self.keyPositions = keyPositions
    }

    public static let defaultCooldown = TimeSpan.hours(4)

    /// The position of `key` in the rule's mapping, or of the rule itself when the key was not written.
    public func position(of key: String) -> SourcePosition { keyPositions[key] ?? position }
}
