import Foundation
import Yams

/// Reads `vitals.yml`, checking every key and value against the schema and reporting problems with their position.
///
/// The environment is passed in rather than read here, so callers (and tests) decide what it holds; so are the source types
/// (`SourceRegistry.types` in VitalsCollectors), so Core checks `sources:` without knowing any collector.
public enum ConfigLoader {
    /// The top-level keys, in the order messages list them.
    static let topLevelKeys = ["time_zone", "store", "retention", "rules", "reports", "reports_dir", "sources", "channels", "routing", "mute_windows"]

    /// Finds the configuration: `--config FILE` wins, then `VITALS_CONFIG`, then `./vitals.yml` if it exists, else the defaults.
    ///
    /// A file named by `--config` or `VITALS_CONFIG` that does not exist is an error rather than a silent fallback.
    /// `requireTokens: false` accepts a `token_env` whose variable is not set (`vitals doctor` reports it instead).
    public static func resolve(
        explicit: String?, environment: [String: String], workingDirectory: String, sourceTypes: [SourceType], requireTokens: Bool = true
    ) throws(ConfigError) -> VitalsConfig {
        if let explicit {
            return try load(
                path: absolute(explicit, in: workingDirectory), named: explicit, origin: "given by --config", environment: environment,
                sourceTypes: sourceTypes, requireTokens: requireTokens)
        }
        if let variable = environment["VITALS_CONFIG"], !variable.isEmpty {
            return try load(
                path: absolute(variable, in: workingDirectory), named: variable, origin: "given by VITALS_CONFIG", environment: environment,
                sourceTypes: sourceTypes, requireTokens: requireTokens)
        }
        let local = absolute("vitals.yml", in: workingDirectory)
        guard FileManager.default.fileExists(atPath: local) else { return VitalsConfig(sources: VitalsConfig.localSources(of: sourceTypes)) }
        return try load(
            path: local, named: "vitals.yml", origin: nil, environment: environment, sourceTypes: sourceTypes, requireTokens: requireTokens)
    }

    /// Reads and checks one file; messages name it as given.
    public static func load(file: String, environment: [String: String], sourceTypes: [SourceType]) throws(ConfigError) -> VitalsConfig {
        try load(path: file, named: file, origin: nil, environment: environment, sourceTypes: sourceTypes)
    }

    /// Checks the text of a configuration file; `file` is the name messages use.
    public static func parse(
        _ text: String, file: String, environment: [String: String], sourceTypes: [SourceType], requireTokens: Bool = true
    ) throws(ConfigError) -> VitalsConfig {
        var config = VitalsConfig(file: file, sources: VitalsConfig.localSources(of: sourceTypes))
        // An empty document, or one with only comments, means the defaults.
        guard let document = try document(text, file: file), document.node.null == nil else { return config }
        let values = try document.mapping(allowed: topLevelKeys)
        if let node = values["time_zone"] { config.timeZone = try timeZone(node) }
        if let node = values["store"] { try store(node, into: &config, environment: environment, requireTokens: requireTokens) }
        if let node = values["retention"] { config.retention = try node.duration() }
        if let node = values["rules"] { config.rulesDirectory = try node.filePath() }
        if let node = values["reports"] { config.reportsDirectory = try node.filePath() }
        if let node = values["reports_dir"] { config.archiveDirectory = try node.filePath() }
        if let node = values["sources"] {
            config.sources = try SourceReader.sources(node, environment: environment, types: sourceTypes, requireTokens: requireTokens)
        }
        if let node = values["channels"] { config.channels = try AlertingReader.channels(node) }
        if let node = values["routing"] { config.routing = try AlertingReader.routing(node, channels: config.channels) }
        if let node = values["mute_windows"] { config.muteWindows = try AlertingReader.muteWindows(node) }
        return config
    }

    static func load(
        path: String, named name: String, origin: String?, environment: [String: String], sourceTypes: [SourceType], requireTokens: Bool = true
    ) throws(ConfigError) -> VitalsConfig {
        func failure(_ message: String, _ code: ConfigError.Code) -> ConfigError {
            ConfigError(file: name, position: nil, message: message + (origin.map { " (\($0))" } ?? ""), code: code)
        }
        let data: Data
        do {
            data = try RegularFile.read(path, limit: RegularFile.definitionLimit)
        } catch {
            throw error.kind == .notFound ? failure("no such file", .fileNotFound) : failure(error.description, .unreadableFile)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw failure("is not UTF-8 text", .unreadableFile) }
        var config = try parse(text, file: name, environment: environment, sourceTypes: sourceTypes, requireTokens: requireTokens)
        config.file = path
        return config
    }

    /// The document's root node, or nil when it has none; YAML syntax errors keep Yams' position.
    static func document(_ text: String, file: String) throws(ConfigError) -> ConfigNode? {
        do {
            return try Yams.compose(yaml: text).map { ConfigNode(node: $0, path: "", file: file) }
        } catch {
            throw syntaxError(error, text: text, file: file)
        }
    }

    static func syntaxError(_ error: any Error, text: String, file: String) -> ConfigError {
        func positioned(_ position: ConfigError.Position?, _ message: String) -> ConfigError {
            ConfigError(file: file, position: position, message: message, code: .syntax)
        }
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return positioned(.init(mark), "invalid YAML: \(problem)\(during)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return positioned(.init(context.mark), "duplicate key \(keys) in a mapping; each key may appear once")
        case .reader(let problem, let offset, _, _):
            return positioned(offset.map { position(atCharacterOffset: $0, in: text) }, "invalid YAML: \(problem)")
        default:
            return positioned(nil, "invalid YAML: \(error)")
        }
    }

    static func position(atCharacterOffset offset: Int, in text: String) -> ConfigError.Position {
        let before = text.prefix(offset)
        let line = before.reduce(1) { $1.isNewline ? $0 + 1 : $0 }
        let column = before.reversed().prefix { !$0.isNewline }.count + 1
        return ConfigError.Position(line: line, column: column)
    }

    /// `store:`, a SQLite file or `{postgres: {url_env: VARIABLE}}`, the URL read from the named variable; a PostgreSQL URL
    /// written in the file is read too, but never one holding a password.
    static func store(_ node: ConfigNode, into config: inout VitalsConfig, environment: [String: String], requireTokens: Bool) throws(ConfigError) {
        let refusal = "put it in PGPASSWORD, or the whole URL in an environment variable named by store: {postgres: {url_env: NAME}}"
        let defaults = PostgresURL.Defaults(environment: environment, loginName: PostgresURL.Defaults.loginName())
        guard node.node.mapping != nil else {
            let path = try node.filePath()
            guard PostgresURL.names(path) else {
                config.storePath = path
                return
            }
            do {
                config.postgres = try PostgresURL(parsing: path, passwordFrom: refusal, defaults: defaults)
            } catch {
                throw node.error(error.description, .invalidValue)
            }
            return
        }
        guard let postgres = try node.mapping(allowed: ["postgres"])["postgres"] else {
            throw node.error("expected a file path or {postgres: {url_env: NAME}}, found an empty mapping", .wrongType)
        }
        guard let variable = try postgres.mapping(allowed: ["url_env"])["url_env"] else {
            throw postgres.error("missing required key 'url_env', the name of the environment variable holding the URL", .missingKey)
        }
        let name = try TokenEnvironment.variable(variable, of: postgres, required: true, environment: environment, mustBeSet: requireTokens)
        // Unset only when tokens are not required (`vitals doctor`, which opens no store).
        guard let name, let url = environment[name], !url.isEmpty else { return }
        do {
            config.postgres = try PostgresURL(parsing: url, passwordFrom: nil, defaults: defaults)
        } catch {
            throw variable.error("the URL in \(name): \(error.description)", .invalidValue)
        }
    }

    static func timeZone(_ node: ConfigNode) throws(ConfigError) -> TimeZone {
        let name = try node.string()
        guard let zone = TimeZone(ianaName: name) else {
            throw node.error("'\(name)' is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)", .invalidValue)
        }
        return zone
    }

    static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).path
    }
}
