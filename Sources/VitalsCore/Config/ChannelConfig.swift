/// One entry of `channels:`: where notifications go. Secrets (webhook URLs, routing keys) are given only by the name of
/// the environment variable that holds them; delivery reads the variable when it sends.
public struct ChannelConfig: Sendable, Equatable {
    public var name: String
    public var type: ChannelType
    /// The secret settings, by key (`webhook_url_env`), each the name of an environment variable.
    public var secretEnv: [String: String]
    /// Email recipients (`to:`, email channels only).
    public var recipients: [String]
    /// Whether rules without `notify:` (and reports without `channels:`) notify this channel.
    public var isDefault: Bool
    /// The type's other settings (``ChannelType/options``), already checked against their shapes.
    public var options: [String: ConfigValue]
    /// The shortest time between two messages (`rate_limit: 1/s`); nil sends as fast as the channel answers.
    public var minInterval: TimeSpan?

    /// `minInterval` left out takes the type's default; given as a `TimeSpan?` that is nil, it lifts the limit.
    public init(
        name: String, type: ChannelType, secretEnv: [String: String] = [:], recipients: [String] = [], isDefault: Bool = false,
        options: [String: ConfigValue] = [:], minInterval: TimeSpan?? = nil
    ) {
        self.name = name
        self.type = type
        self.secretEnv = secretEnv
        self.recipients = recipients
        self.isDefault = isDefault
        self.options = options
        self.minInterval = minInterval ?? type.defaultMinInterval
    }

    /// A string option, or nil when not set.
    public func string(_ key: String) -> String? {
        if case .string(let value) = options[key] { value } else { nil }
    }
}

/// A kind of channel vitals can notify, as the config loader checks it: plain data, so Core knows no notifier. Each type's
/// notifier lives in its folder of `Sources/VitalsNotify/` and is registered in `ChannelRegistry`; adding a type is one
/// declaration here, its line in ``allCases``, its notifier file and its registry line.
public struct ChannelType: Sendable, Hashable, CustomStringConvertible {
    /// The value of `type:` in `vitals.yml`.
    public let rawValue: String
    /// The `*_env` keys this type requires.
    public let secretKeys: [String]
    /// Its other keys and the shape of their values.
    public let options: [String: SourceType.OptionShape]
    /// The options it must have.
    public let requiredOptions: [String]
    /// The rate limit a channel of this type gets unless `rate_limit` says otherwise.
    public let defaultMinInterval: TimeSpan?

    public init(
        _ rawValue: String, secretKeys: [String] = [], options: [String: SourceType.OptionShape] = [:], requiredOptions: [String] = [],
        defaultMinInterval: TimeSpan? = nil
    ) {
        self.rawValue = rawValue
        self.secretKeys = secretKeys
        self.options = options
        self.requiredOptions = requiredOptions
        self.defaultMinInterval = defaultMinInterval
    }

    public var description: String { rawValue }

    /// A Slack incoming webhook; Slack allows one message a second per webhook.
    public static let slack = ChannelType("slack", secretKeys: ["webhook_url_env"], defaultMinInterval: .seconds(1))
    public static let pagerduty = ChannelType("pagerduty", secretKeys: ["routing_key_env"])
    public static let webhook = ChannelType("webhook", secretKeys: ["url_env"])
    public static let email = ChannelType("email", secretKeys: ["smtp_url_env"], options: ["to": .list], requiredOptions: ["to"])
    /// JSON lines appended to a file (`path`, relative to the configuration's folder).
    public static let file = ChannelType("file", options: ["path": .string], requiredOptions: ["path"])

    /// The types `channels:` accepts, in the order messages list them.
    public static let allCases: [ChannelType] = [.slack, .pagerduty, .webhook, .email, .file]
}

extension VitalsConfig {
    /// The names in `names` that no channel in `channels:` has, in the order given; what `rules check` reports for `notify:`.
    public func unknownChannels(_ names: [String]) -> [String] {
        names.filter { name in !channels.contains { $0.name == name } }
    }
}
