public import Foundation
public import VitalsCore

/// A PagerDuty service through the Events API v2 (`type: pagerduty`): alerts trigger and resolve PagerDuty alerts.
///
/// ```yaml
/// channels:
///   oncall:
///     type: pagerduty
///     routing_key_env: PAGERDUTY_ROUTING_KEY   # the integration key of an "Events API v2" integration
///     base_url: https://events.pagerduty.com   # optional (EU accounts: https://events.eu.pagerduty.com)
/// ```
public struct PagerDutyChannelConfig: Sendable, Equatable {
    /// The `type:` this channel type answers to.
    public static let type = "pagerduty"
    public static let keys = ["routing_key_env", "base_url"]

    public var routingKeyEnv: String
    /// Where `/v2/enqueue` lives.
    public var baseURL: URL

    public init(routingKeyEnv: String, baseURL: URL = URL(string: "https://events.pagerduty.com")!) {
        self.routingKeyEnv = routingKeyEnv
        self.baseURL = baseURL
    }

    public init(_ section: ConfigSection) throws(ConfigError) {
        let values = try ChannelSettings.values(section, keys: Self.keys)
        routingKeyEnv = try ChannelSettings.variable("routing_key_env", in: values, of: section, example: "PAGERDUTY_ROUTING_KEY")
        baseURL = try ChannelSettings.baseURL(values["base_url"], default: "https://events.pagerduty.com")
    }
}
