public import Foundation
public import VitalsCore
public import VitalsPorts

/// One channel type: the value of `type:` it answers to, the reader of its settings (positioned errors, run when the
/// configuration is loaded) and how its notifier is made from what the reader returned.
public struct ChannelDefinition: Sendable {
    public let type: String
    /// The rate limit a channel of this type gets unless `rate_limit` says otherwise.
    public let defaultMinInterval: TimeSpan?
    /// Reads a channel's settings; returns what makes its notifier, given the channel's name and the delivery context.
    let parse: @Sendable (ConfigSection) throws(ConfigError) -> @Sendable (String, NotifierContext) -> any Notifier

    init<Settings: Sendable>(
        type: String, defaultMinInterval: TimeSpan? = nil, read: @escaping @Sendable (ConfigSection) throws(ConfigError) -> Settings,
        make: @escaping @Sendable (String, Settings, NotifierContext) -> any Notifier
    ) {
        self.type = type
        self.defaultMinInterval = defaultMinInterval
        parse = { section throws(ConfigError) in
            let settings = try read(section)
            return { name, context in make(name, settings, context) }
        }
    }
}

/// A configured channel whose settings its type's reader accepted: ready to make its notifier.
public struct ConfiguredChannel: Sendable {
    public let config: ChannelConfig
    public let definition: ChannelDefinition
    let make: @Sendable (String, NotifierContext) -> any Notifier

    public var name: String { config.name }
    /// The shortest time between two messages: `rate_limit`, else the type's default.
    public var minInterval: TimeSpan? { config.rateLimit ?? definition.defaultMinInterval }

    public func notifier(_ context: NotifierContext) -> any Notifier { make(config.name, context) }
}

/// The channel types this build delivers to: one line per type.
public enum ChannelRegistry {
    public static let definitions: [ChannelDefinition] = [
        SlackWebhookChannel.definition, SlackAPINotifier.definition, PagerDutyNotifier.definition, WebhookNotifier.definition,
        EmailNotifier.definition, GitHubIssueNotifier.definition, LinearIssueNotifier.definition, FileChannel.definition,
    ]

    /// `config`'s channels read by their types' readers: what the workspace does when it loads the configuration, so an
    /// unknown type or a bad key is reported then, positioned, whatever the command.
    public static func channels(in config: VitalsConfig) throws(ConfigError) -> [ConfiguredChannel] {
        var channels: [ConfiguredChannel] = []
        for channel in config.channels {
            guard let definition = definitions.first(where: { $0.type == channel.type }) else {
                let allowed = definitions.map(\.type)
                let node = channel.settings["type"] ?? channel.settings
                throw node.error(
                    "'\(channel.type)' is not a channel type; allowed: \(allowed.joined(separator: ", "))"
                        + Suggestion.hint(for: channel.type, in: allowed), .invalidValue)
            }
            channels.append(ConfiguredChannel(config: channel, definition: definition, make: try definition.parse(channel.settings)))
        }
        return channels
    }

    /// The dispatcher for `channels`, with `config`'s routing, claiming what it sends as `claimant`.
    public static func dispatcher(
        config: VitalsConfig, channels: [ConfiguredChannel], store: any OutboxStore, context: NotifierContext,
        policy: DeliveryPolicy = DeliveryPolicy(), clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Timestamp,
        claimant: String = UUID().uuidString
    ) -> Dispatcher {
        Dispatcher(
            store: store, notifiers: channels.map { $0.notifier(context) },
            routing: ChannelRouting(bySeverity: config.routing, defaults: config.channels.filter(\.isDefault).map(\.name)), policy: policy,
            rateLimits: Dictionary(channels.compactMap { channel in channel.minInterval.map { (channel.name, $0) } }) { first, _ in first },
            clock: clock, now: now, claimant: claimant)
    }
}
