public import Foundation
public import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// What a channel's notifier is built with besides its configuration.
public struct ChannelContext: Sendable {
    /// The configuration file's folder: relative paths (a `file` channel's) are read against it.
    public let root: URL
    /// Where `*_env` secrets are read from, when a message is sent.
    public let environment: [String: String]
    public let client: HTTPClient

    public init(root: URL, environment: [String: String], client: HTTPClient = HTTPClient(retry: .never)) {
        self.root = root
        self.environment = environment
        self.client = client
    }

    /// The secret `key` of `channel` (`webhook_url_env`), read now; nil when the variable is unset or empty.
    public func secret(_ key: String, of channel: ChannelConfig) -> String? {
        guard let variable = channel.secretEnv[key], let value = environment[variable], !value.isEmpty else { return nil }
        return value
    }
}

/// One channel type: its configuration shape (checked by the config loader) and how its notifier is made.
public struct ChannelDefinition: Sendable {
    public let type: ChannelType
    public let makeNotifier: @Sendable (ChannelConfig, ChannelContext) -> any Notifier

    public init(type: ChannelType, makeNotifier: @escaping @Sendable (ChannelConfig, ChannelContext) -> any Notifier) {
        self.type = type
        self.makeNotifier = makeNotifier
    }
}

/// The channel types this build can deliver to: one line per type.
public enum ChannelRegistry {
    public static let channels: [ChannelDefinition] = [
        SlackWebhookChannel.definition, FileChannel.definition,
    ]

    /// The notifiers of the configured channels whose type this build delivers to.
    public static func notifiers(for channels: [ChannelConfig], context: ChannelContext) -> [any Notifier] {
        channels.compactMap { channel in definition(of: channel.type)?.makeNotifier(channel, context) }
    }

    static func definition(of type: ChannelType) -> ChannelDefinition? { channels.first { $0.type == type } }

    /// The dispatcher for `config`'s channels, routing and rate limits.
    public static func dispatcher(
        config: VitalsConfig, store: any OutboxStore, context: ChannelContext, policy: DeliveryPolicy = DeliveryPolicy(),
        clock: any Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Timestamp
    ) -> Dispatcher {
        Dispatcher(
            store: store, notifiers: notifiers(for: config.channels, context: context),
            routing: ChannelRouting(bySeverity: config.routing, defaults: config.channels.filter(\.isDefault).map(\.name)), policy: policy,
            rateLimits: Dictionary(config.channels.compactMap { channel in channel.minInterval.map { (channel.name, $0) } }) { first, _ in first },
            unavailable: Dictionary(
                config.channels.filter { definition(of: $0.type) == nil }.map { channel in
                    (channel.name, "channel '\(channel.name)' is of type \(channel.type), which this build of vitals cannot deliver to")
                }
            ) { first, _ in first },
            clock: clock, now: now)
    }
}
