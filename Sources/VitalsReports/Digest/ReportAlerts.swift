public import VitalsCore

/// The alert data a digest reports, read by the caller from the alert store (so the report builder needs no database).
public struct ReportAlerts: Sendable {
    /// Instances firing now, with when they started firing.
    public let firing: [ReportAlertSpan]
    /// Firing spans from the alert history (oldest first); a span with no end is still firing.
    public let history: [ReportAlertSpan]

    /// Deliveries dead-lettered since ``deadLettersSince`` (the previous report), oldest first.
    public let deadLetters: [ReportDeadLetter]
    /// Since when ``deadLetters`` are listed; nil when the caller read no outbox.
    public let deadLettersSince: Timestamp?

    public init(firing: [ReportAlertSpan], history: [ReportAlertSpan], deadLetters: [ReportDeadLetter] = [], deadLettersSince: Timestamp? = nil) {
        self.firing = firing
        self.history = history
        self.deadLetters = deadLetters
        self.deadLettersSince = deadLettersSince
    }
}

/// A message the outbox gave up on for one channel: which channel, what the message was, what the receiver said, when.
public struct ReportDeadLetter: Sendable, Hashable, Encodable {
    public let channel: String
    /// The message's idempotency key.
    public let key: String
    /// What the message was: `alert CoverageLow firing {repo=acme/shop}`, `report Daily digest`.
    public let message: String
    /// The receiver's words (`404: channel_not_found`), never a secret.
    public let error: String
    public let attempts: Int
    public let deadAt: Timestamp

    public init(channel: String, key: String, message: String, error: String, attempts: Int, deadAt: Timestamp) {
        self.channel = channel
        self.key = key
        self.message = message
        self.error = error
        self.attempts = attempts
        self.deadAt = deadAt
    }
}

/// One alert instance from the moment it fired to the moment it resolved (nil while firing).
public struct ReportAlertSpan: Sendable, Hashable {
    public let rule: String
    public let labels: Labels
    public let severity: String?
    public let firedAt: Timestamp
    public let resolvedAt: Timestamp?

    public init(rule: String, labels: Labels, severity: String?, firedAt: Timestamp, resolvedAt: Timestamp?) {
        self.rule = rule
        self.labels = labels
        self.severity = severity
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
    }
}
