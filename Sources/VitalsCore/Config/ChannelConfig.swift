/// One entry of `channels:`: where notifications go. Secrets (webhook URLs, routing keys) are given only by the name of
/// the environment variable that holds them; delivery reads the variable when it sends.
public struct ChannelConfig: Sendable, Equatable {
    public var name: String
    public var type: ChannelType
    /// The secret settings, by key (`webhook_url_env`), each the name of an environment variable.
    public var secretEnv: [String: String]
    /// Email recipients (`to:`, email channels only).
    public var recipients: [String]
    /// Whether rules without `notify:` notify this channel.
    public var isDefault: Bool

    public init(name: String, type: ChannelType, secretEnv: [String: String] = [:], recipients: [String] = [], isDefault: Bool = false) {
        self.name = name
        self.type = type
        self.secretEnv = secretEnv
        self.recipients = recipients
        self.isDefault = isDefault
    }
}

/// The kinds of channel vitals can notify, with the environment-variable keys each needs.
public enum ChannelType: String, Sendable, CaseIterable {
    case slack
    case pagerduty
    case webhook
    case email

    /// The `*_env` keys this type requires.
    public var secretKeys: [String] {
        switch self {
        case .slack: ["webhook_url_env"]
        case .pagerduty: ["routing_key_env"]
        case .webhook: ["url_env"]
        case .email: ["smtp_url_env"]
        }
    }
}

extension VitalsConfig {
    /// The names in `names` that no channel in `channels:` has, in the order given; what `rules check` reports for `notify:`.
    public func unknownChannels(_ names: [String]) -> [String] {
        names.filter { name in !channels.contains { $0.name == name } }
    }
}
