/// One entry of `channels:`: where notifications go. Core reads what every channel has (`type`, `default`, `rate_limit`)
/// and keeps the entry's ``settings``; the type's own reader in VitalsNotify (`ChannelRegistry`) checks `type:` and reads
/// the rest when the configuration is loaded, with the same positioned errors. Secrets are given only by the name of the
/// environment variable that holds them; delivery reads the variable when it sends.
public struct ChannelConfig: Sendable, Equatable {
    public var name: String
    /// The value of `type:` (`slack`, `pagerduty`, ...).
    public var type: String
    /// Whether rules without `notify:` (and reports without `channels:`) notify this channel.
    public var isDefault: Bool
    /// `rate_limit`: the shortest time between two messages, `.some(nil)` when `none` lifts the limit; nil when not given
    /// (the type's default).
    public var rateLimit: TimeSpan??
    /// The whole entry (`channels.NAME`), for the type's reader.
    public var settings: ConfigSection

    public init(name: String, type: String, isDefault: Bool = false, rateLimit: TimeSpan?? = nil, settings: ConfigSection) {
        self.name = name
        self.type = type
        self.isDefault = isDefault
        self.rateLimit = rateLimit
        self.settings = settings
    }
}

extension VitalsConfig {
    /// The names in `names` that no channel in `channels:` has, in the order given; what `rules check` reports for `notify:`.
    public func unknownChannels(_ names: [String]) -> [String] {
        names.filter { name in !channels.contains { $0.name == name } }
    }
}
