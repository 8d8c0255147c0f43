public import VitalsCore
public import VitalsPorts

/// Which channels a message goes to when it names none: by an alert's severity (`routes:` in vitals.yml, such as
/// `critical` → PagerDuty and Slack), else the channels marked `default: true`.
public struct ChannelRouting: Sendable, Equatable {
    public var bySeverity: [Severity: [String]]
    public var defaults: [String]

    public init(bySeverity: [Severity: [String]] = [:], defaults: [String] = []) {
        self.bySeverity = bySeverity
        self.defaults = defaults
    }

    /// The channels for `message`: those it `requested`, else its severity's route, else the defaults.
    public func channels(for message: OutboxMessage, requested: [String]) -> [String] {
        if !requested.isEmpty { return requested }
        if case .alert(let alert) = message.payload, let severity = alert.severity, let route = bySeverity[severity] { return route }
        return defaults
    }
}
