/// A change to one alert at one evaluation, recorded for the alert history whether or not anyone is notified.
public struct AlertTransition: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The phase changed (`from` → `to`).
        case phase
        /// Still firing, at a higher severity.
        case severityRaised = "severity_raised"
        /// Still firing, at a lower severity; not a resolve.
        case severityLowered = "severity_lowered"
    }

    public let labels: Labels
    public let kind: Kind
    public let from: AlertPhase
    public let to: AlertPhase
    public let severity: Severity?
    public let value: Double?
    public let at: Timestamp

    public init(labels: Labels, kind: Kind = .phase, from: AlertPhase, to: AlertPhase, severity: Severity?, value: Double?, at: Timestamp) {
        self.labels = labels
        self.kind = kind
        self.from = from
        self.to = to
        self.severity = severity
        self.value = value
        self.at = at
    }

    /// `{service="api"} pending→firing` or `{service="api"} severity_raised critical`, for logs and test failures.
    public var description: String {
        switch kind {
        case .phase: "\(labels) \(from.rawValue)→\(to.rawValue)"
        case .severityRaised, .severityLowered: "\(labels) \(kind.rawValue) \(severity?.rawValue ?? "none")"
        }
    }
}
