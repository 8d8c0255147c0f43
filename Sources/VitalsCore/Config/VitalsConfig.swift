public import Foundation

/// The settings in `vitals.yml`, or the defaults when there is none.
public struct VitalsConfig: Sendable, Equatable {
    /// The file the settings came from; nil when vitals runs on its defaults.
    public var file: String?
    /// The zone whose days reports and event metrics are counted in.
    public var timeZone: TimeZone
    /// The SQLite file of the embedded store, absolute or relative to the config file's folder (or the working directory).
    public var storePath: String
    /// The PostgreSQL store `store:` names instead of a file (`store: {postgres: {url_env: ...}}`), or nil for SQLite.
    public var postgres: PostgresURL?
    /// How long raw samples are kept; rollups are kept longer.
    public var retention: TimeSpan
    /// The folder of alert rule files.
    public var rulesDirectory: String
    /// The folder of report definitions.
    public var reportsDirectory: String
    /// The folder every generated named report is archived in (`reports_dir`), relative like ``storePath``.
    public var archiveDirectory: String = ".vitals/reports"
    /// The configured sources, in file order.
    public var sources: [SourceConfig]
    /// Where alert notifications go (`channels:`), in file order.
    public var channels: [ChannelConfig]
    /// Where an alert whose rule names no channel goes, by severity (`routing:`); the default channels when its severity has no route.
    public var routing: [Severity: [String]] = [:]
    /// When alert notifications are held (`mute_windows:`), in file order.
    public var muteWindows: [MuteWindowConfig]

    public init(
        file: String? = nil, timeZone: TimeZone = .current, storePath: String = VitalsConfig.defaultStorePath,
        retention: TimeSpan = VitalsConfig.defaultRetention, rulesDirectory: String = "rules", reportsDirectory: String = "reports",
        sources: [SourceConfig] = [], channels: [ChannelConfig] = [], muteWindows: [MuteWindowConfig] = []
    ) {
        self.file = file
        self.timeZone = timeZone
        self.storePath = storePath
        self.retention = retention
        self.rulesDirectory = rulesDirectory
        self.reportsDirectory = reportsDirectory
        self.sources = sources
        self.channels = channels
        self.muteWindows = muteWindows
    }

    public static let defaultStorePath = ".vitals/vitals.db"

    /// The store file: ``storePath`` as it is when absolute, else under `folder` (the config file's folder, or the working directory).
    public func storeFile(in folder: String) -> String {
        ConfigLoader.absolute(storePath, in: folder)
    }
    public static let defaultRetention = TimeSpan.days(400)

    /// The sources vitals runs with no `vitals.yml` (or no `sources:`): every type of `types` that reads the current repository.
    public static func localSources(of types: [SourceType]) -> [SourceConfig] {
        types.filter(\.isLocal).map { SourceConfig(name: $0.rawValue, type: $0) }
    }
}

/// One entry of `sources:`.
public struct SourceConfig: Sendable, Equatable {
    /// The name runs and samples are recorded under; defaults to the type.
    public var name: String
    public var type: SourceType
    /// How often it has new data; defaults to the type's.
    public var interval: TimeSpan
    /// Type-specific settings, already checked against ``SourceType/options``.
    public var options: [String: ConfigValue]
    /// The name of the environment variable holding the source's token; the token itself is never in a file.
    public var tokenEnv: String?

    public init(
        name: String, type: SourceType, interval: TimeSpan? = nil, options: [String: ConfigValue] = [:], tokenEnv: String? = nil
    ) {
        self.name = name
        self.type = type
        self.interval = interval ?? type.defaultInterval
        self.options = options
        self.tokenEnv = tokenEnv
    }

    /// A string option, or nil when not set.
    public func string(_ key: String) -> String? {
        if case .string(let value) = options[key] { value } else { nil }
    }

    /// A mapping option, in the order written, or nil when not set.
    public func mapping(_ key: String) -> [(key: String, value: String)]? {
        if case .mapping(let entries) = options[key] { entries } else { nil }
    }

    /// A list-of-strings option (a single string counts as a list of one), or nil when not set.
    public func strings(_ key: String) -> [String]? {
        switch options[key] {
        case .string(let value): [value]
        case .list(let values): values
        default: nil
        }
    }
}

/// A value of a source option.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case list([String])
    /// Keys mapped to strings, in the order written.
    case mapping([(key: String, value: String)])

    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.mapping(let a), .mapping(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }
}
