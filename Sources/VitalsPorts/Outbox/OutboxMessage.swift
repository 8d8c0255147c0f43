public import VitalsCore

/// A message waiting in the outbox to be delivered to one or more channels: an alert notification or a report.
///
/// The outbox keeps the message once and one delivery per channel (see `docs/delivery.md`); a channel renders the message
/// in its own format when it delivers it, except a report, which is rendered once when it is queued.
public struct OutboxMessage: Hashable, Sendable, Codable {
    /// The outbox's id for the message.
    public let id: Int64
    /// The same for the same alert transition or the same report period, so queueing it again is ignored.
    public let idempotencyKey: String
    public let payload: Payload
    /// When it was queued.
    public let createdAt: Timestamp

    public init(id: Int64, idempotencyKey: String, payload: Payload, createdAt: Timestamp) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.payload = payload
        self.createdAt = createdAt
    }

    /// What the message says.
    public enum Payload: Hashable, Sendable, Codable {
        case alert(AlertMessage)
        case report(ReportMessage)
    }
}

/// An alert notification as the outbox keeps it: which rule, which series, what happened.
public struct AlertMessage: Hashable, Sendable, Codable {
    /// What happened to the alert.
    public enum Event: String, Hashable, Sendable, Codable {
        /// It started firing (or fires again after a resolve).
        case firing
        /// It is still firing, sent once per cooldown.
        case reminder
        /// It is still firing and its severity went up.
        case escalated
        case resolved
    }

    public let group: String
    /// The rule's key in its group (the alert name, `#n` appended for the n-th rule of that name).
    public let alert: String
    public let labels: Labels
    public let event: Event
    public let severity: Severity?
    public let value: Double?
    /// The rule's summary annotation, expanded.
    public let summary: String
    /// The evaluation time that produced it.
    public let at: Timestamp

    public init(
        group: String, alert: String, labels: Labels, event: Event, severity: Severity?, value: Double?, summary: String, at: Timestamp
    ) {
        self.group = group
        self.alert = alert
        self.labels = labels
        self.event = event
        self.severity = severity
        self.value = value
        self.summary = summary
        self.at = at
    }

    /// Names the alert instance across its notifications (firing, reminders, resolved): PagerDuty's `dedup_key`, the marker
    /// an improvement task is found again by. The group, the rule key and the labels; stable across releases.
    public var fingerprint: String { "\(group)/\(alert)\(labels)" }
}

/// A report as the outbox keeps it: rendered once, in every format a channel may want, when it is queued.
public struct ReportMessage: Hashable, Sendable, Codable {
    /// The report definition's name (`daily`), or `report` for the standard report.
    public let name: String
    /// The one-line title (`Daily report · 2026-11-28`), for subjects and notification texts.
    public let title: String
    /// The report in each format by format name (`md`, `json`, `slack`, `html`, as `vitals report --format` names them);
    /// `slack` is a JSON array of Block Kit message payloads, the first the message and the rest its thread.
    public let bodies: [String: String]

    public init(name: String, title: String, bodies: [String: String]) {
        self.name = name
        self.title = title
        self.bodies = bodies
    }
}
