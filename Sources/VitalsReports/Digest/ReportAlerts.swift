public import VitalsCore

/// The alert data a digest reports, read by the caller from the alert store (so the report builder needs no database).
public struct ReportAlerts: Sendable {
    /// Instances firing now, with when they started firing.
    public let firing: [ReportAlertSpan]
    /// Firing spans from the alert history (oldest first); a span with no end is still firing.
    public let history: [ReportAlertSpan]

    public init(firing: [ReportAlertSpan], history: [ReportAlertSpan]) {
        self.firing = firing
        self.history = history
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
