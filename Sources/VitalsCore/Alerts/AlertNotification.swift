/// What a notification says about an alert.
public enum NotificationKind: String, Sendable, Codable {
    /// It started firing (or fires again after a resolve).
    case firing
    /// It is still firing, sent once per cooldown.
    case reminder
    /// It is still firing and its severity went up.
    case escalated
    case resolved
}

/// A notification to put in the outbox.
public struct AlertNotification: Sendable, Equatable, Codable, CustomStringConvertible {
    public let group: String
    public let alert: String
    /// Which rule of that name in the group sent it (``AlertRuleID/ordinal``).
    public let ordinal: Int
    public let labels: Labels
    public let kind: NotificationKind
    public let severity: Severity?
    public let value: Double?
    /// The evaluation time that produced it.
    public let at: Timestamp
    /// The channels the rule names (`notify:`); empty means the configured defaults.
    public let channels: [String]

    public init(
        group: String, alert: String, ordinal: Int = 0, labels: Labels, kind: NotificationKind, severity: Severity?, value: Double?,
        at: Timestamp, channels: [String] = []
    ) {
        self.group = group
        self.alert = alert
        self.ordinal = ordinal
        self.labels = labels
        self.kind = kind
        self.severity = severity
        self.value = value
        self.at = at
        self.channels = channels
    }

    /// The same for the same rule, labels, kind and evaluation time, so re-running an evaluation after a crash produces
    /// a key the outbox already holds instead of a second message. The rule is its ``AlertRuleID/key``: two rules of one
    /// name alerting on the same labels at once queue two notifications.
    public var idempotencyKey: String {
        "\(group)/\(AlertRuleID(group: group, alert: alert, ordinal: ordinal).key)\(labels)/\(kind.rawValue)@\(at)"
    }

    public var description: String { "\(kind.rawValue) \(labels)" }
}
