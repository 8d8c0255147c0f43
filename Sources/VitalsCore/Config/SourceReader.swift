import Foundation
import Yams

/// Reads the `sources:` list: each entry's type decides which option keys it may have.
enum SourceReader {
    /// The keys every source accepts, before its type's options.
    static let commonKeys = ["name", "type", "interval", "token_env"]

    static func sources(
        _ node: ConfigNode, environment: [String: String], types: [SourceType], requireTokens: Bool = true
    ) throws(ConfigError) -> [SourceConfig] {
        var sources: [SourceConfig] = []
        var pathByName: [String: String] = [:]
        for item in try node.items() {
            sources.append(try source(item, pathByName: &pathByName, environment: environment, types: types, requireTokens: requireTokens))
        }
        return sources
    }

    /// One source; `pathByName` holds the names taken so far, to reject a second source of the same name. Without
    /// `requireTokens`, a `token_env` whose variable is not set is accepted.
    static func source(
        _ item: ConfigNode, pathByName: inout [String: String], environment: [String: String], types: [SourceType], requireTokens: Bool = true
    ) throws(ConfigError) -> SourceConfig {
        let type = try sourceType(item, types: types)
        let values = try item.mapping(allowed: commonKeys + type.options.keys.sorted())
        let nameNode = values["name"]
        let name = try nameNode?.string() ?? type.rawValue
        if let nameNode, name.isEmpty { throw nameNode.error("expected a name, found an empty string", .invalidValue) }
        if let earlier = pathByName[name] {
            let origin = nameNode == nil ? " (the default, its type)" : ""
            throw (nameNode ?? item).error(
                "source name '\(name)'\(origin) is already used by \(earlier); give each source its own name", .duplicateName)
        }
        pathByName[name] = item.path
        var options: [String: ConfigValue] = [:]
        // Sorted, so a file with several bad options always reports the same one first.
        for key in type.options.keys.sorted() {
            guard let node = values[key], let shape = type.options[key] else { continue }
            options[key] = try option(node, key: key, shape: shape)
        }
        let tokenEnv = try TokenEnvironment.variable(
            values["token_env"], of: item, required: type.requiresToken, environment: environment, mustBeSet: requireTokens)
        for key in type.requiredOptions where values[key] == nil {
            throw item.error("missing required key '\(key)' for a source of type \(type.rawValue)", .missingKey)
        }
        return SourceConfig(name: name, type: type, interval: try values["interval"]?.duration(), options: options, tokenEnv: tokenEnv)
    }

    /// The type comes first, since it decides which other keys are allowed.
    static func sourceType(_ item: ConfigNode, types: [SourceType]) throws(ConfigError) -> SourceType {
        let allowed = types.map(\.rawValue).sorted()
        guard let mapping = item.node.mapping else { throw item.wrongType(expected: "a mapping") }
        guard let node = mapping["type"].map({ item.child($0, key: "type") }) else {
            throw item.error("missing required key 'type'; allowed types: \(allowed.joined(separator: ", "))", .missingKey)
        }
        let name = try node.string()
        guard let type = types.first(where: { $0.rawValue == name }) else {
            let message = "'\(name)' is not a source type; allowed: \(allowed.joined(separator: ", "))"
            throw node.error(message + Suggestion.hint(for: name, in: allowed), .invalidValue)
        }
        return type
    }

    /// A secret-bearing option (see ``TokenEnvironment/isSecretBearing(_:)``) takes an environment variable's name, whatever
    /// its shape, so its value is never repeated in a message.
    static func option(_ node: ConfigNode, key: String, shape: SourceType.OptionShape) throws(ConfigError) -> ConfigValue {
        if TokenEnvironment.isSecretBearing(key) { return .string(try TokenEnvironment.variableName(node, example: key.uppercased())) }
        switch shape {
        case .string: return .string(try node.string())
        case .list: return .list(try node.strings())
        case .duration:
            let span = try node.duration()
            guard span <= .longestHistory else {
                throw node.error(
                    "'\(try node.string())' is longer than \(TimeSpan.longestHistory.years)y, the longest history read at once", .invalidValue)
            }
            return .string(try node.string())
        case .name:
            let text = try node.string()
            guard !text.allSatisfy(\.isWhitespace) else {
                throw node.error("expected \(shape.rawValue), found \(text.isEmpty ? "an empty string" : "only white space")", .invalidValue)
            }
            return .string(text)
        case .url:
            let text = try node.string()
            guard let url = URL(string: text), url.user == nil, url.password == nil, url.query == nil else {
                // It may hold a password or a token: never repeated.
                throw node.error(
                    "expected \(shape.rawValue) without credentials or query; the token goes in token_env (the value is not repeated here)",
                    .invalidValue)
            }
            guard ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw node.error("expected \(shape.rawValue), found '\(text)'", .invalidValue)
            }
            return .string(text)
        case .endpoint:
            let text = try node.string()
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty else {
                // It may hold a password or a token in its query: never repeated.
                throw node.error("expected \(shape.rawValue) (the value is not repeated here)", .invalidValue)
            }
            return .string(text)
        case .statusCodes:
            let codes = try node.node.scalar != nil ? [node] : node.items()
            guard !codes.isEmpty else { throw node.error("expected \(shape.rawValue), found an empty list", .invalidValue) }
            for code in codes {
                let text = try code.string()
                guard let status = Int(text), (100...599).contains(status) else {
                    throw code.error("expected an HTTP status code (100-599), found '\(text)'", .invalidValue)
                }
            }
            return .list(try node.strings())
        case .arguments:
            let arguments = try node.strings()
            guard let program = arguments.first, !program.allSatisfy(\.isWhitespace) else {
                throw node.error("expected \(shape.rawValue), found no program", .invalidValue)
            }
            return .list(arguments)
        case .flag:
            let text = try node.string()
            guard ["true", "false"].contains(text) else { throw node.error("expected \(shape.rawValue), found '\(text)'", .invalidValue) }
            return .string(text)
        case .metricName:
            let text = try node.string()
            guard PrometheusNames.isMetricName(text) else { throw node.error("expected \(shape.rawValue), found '\(text)'", .invalidValue) }
            return .string(text)
        case .queries:
            guard let mapping = node.node.mapping else { throw node.wrongType(expected: shape.rawValue) }
            guard !mapping.isEmpty else { throw node.error("expected \(shape.rawValue), found an empty mapping", .invalidValue) }
            var entries: [(key: String, value: String)] = []
            for (keyNode, value) in mapping {
                let keyPlace = ConfigNode(node: keyNode, path: node.path, file: node.file)
                guard let name = keyNode.scalar?.string else { throw keyPlace.wrongType(expected: "a metric name") }
                guard PrometheusNames.isMetricName(name) else {
                    throw keyPlace.error(
                        "'\(name)' is not a metric name; expected letters, digits, '_' and ':', not starting with a digit", .invalidValue)
                }
                let query = node.child(value, key: name)
                let text = try query.string()
                guard !text.allSatisfy(\.isWhitespace) else { throw query.error("expected a query, found an empty string", .invalidValue) }
                entries.append((name, text))
            }
            return .mapping(entries)
        }
    }
}
