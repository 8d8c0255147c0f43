public import VitalsCore

/// An alert notification in the outbox (`vitals outbox list` shows its deliveries, one per channel).
public struct OutboxEntry: Sendable, Equatable {
    public let id: Int64
    public let rule: AlertRuleID
    public let labels: Labels
    public let kind: NotificationKind
    public let severity: Severity?
    public let value: Double?
    public let summary: String
    public let channels: [String]
    public let idempotencyKey: String
    public let createdAt: Timestamp
    /// `pending` while any of its deliveries is (or it has none yet), `done` once every channel delivered or dead-lettered it.
    public let status: String

    public init(
        id: Int64, rule: AlertRuleID, labels: Labels, kind: NotificationKind, severity: Severity?, value: Double?, summary: String,
        channels: [String], idempotencyKey: String, createdAt: Timestamp, status: String
    ) {
        self.id = id
        self.rule = rule
        self.labels = labels
        self.kind = kind
        self.severity = severity
        self.value = value
        self.summary = summary
        self.channels = channels
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
        self.status = status
    }
}
