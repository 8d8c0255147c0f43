import Yams

/// A YAML node together with its key path (`sources[1].type`), so every complaint about it says where it is.
struct ConfigNode: Equatable {
    let node: Node
    /// The key path from the top of the document; empty for the document itself.
    let path: String
    let file: String

    var position: ConfigError.Position? { node.mark.map(ConfigError.Position.init) }

    /// How a node is named in "found ..." messages.
    var kind: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar, .alias: node.null == nil ? "a string" : "nothing"
        }
    }

    /// An error at this node, prefixed with its key path.
    func error(_ message: String, _ code: ConfigError.Code) -> ConfigError {
        ConfigError(file: file, position: position, message: "\(path.isEmpty ? "top level" : path): \(message)", code: code)
    }

    func wrongType(expected: String) -> ConfigError { error("expected \(expected), found \(kind)", .wrongType) }

    func child(_ node: Node, key: String) -> ConfigNode { ConfigNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file) }

    /// The text of a scalar; numbers and booleans count as their text, as YAML wrote them.
    func string() throws(ConfigError) -> String {
        guard let scalar = node.scalar, node.null == nil else { throw wrongType(expected: "a string") }
        return scalar.string
    }

    /// A positive duration such as `90d`.
    func duration() throws(ConfigError) -> TimeSpan {
        let text = try string()
        let span: TimeSpan
        do { span = try TimeSpan(parsing: text) } catch { throw self.error(error.description, .invalidValue) }
        guard span.milliseconds > 0 else { throw error("'\(text)' is not longer than zero; give a duration such as 30s, 5m, 2h, 7d", .invalidValue) }
        return span
    }

    /// A list of strings; a single string counts as a list of one.
    func strings() throws(ConfigError) -> [String] {
        if node.scalar != nil { return [try string()] }
        var values: [String] = []
        for item in try items() { values.append(try item.string()) }
        return values
    }

    /// The items of a list, each with its index in its path.
    func items() throws(ConfigError) -> [ConfigNode] {
        guard let sequence = node.sequence else { throw wrongType(expected: "a list") }
        return sequence.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    /// The values of a mapping by key, after checking that every key is one of `allowed` (listed in that order in messages).
    func mapping(allowed: [String]) throws(ConfigError) -> [String: ConfigNode] {
        guard let mapping = node.mapping else { throw wrongType(expected: "a mapping") }
        var values: [String: ConfigNode] = [:]
        for (keyNode, value) in mapping {
            let key = ConfigNode(node: keyNode, path: path, file: file)
            guard let scalar = keyNode.scalar else { throw key.wrongType(expected: "a key name") }
            guard allowed.contains(scalar.string) else {
                let place = path.isEmpty ? "the top level" : path
                let message = "unknown key '\(scalar.string)' in \(place); allowed: \(allowed.joined(separator: ", "))"
                throw ConfigError(
                    file: file, position: key.position, message: message + Suggestion.hint(for: scalar.string, in: allowed), code: .unknownKey)
            }
            values[scalar.string] = child(value, key: scalar.string)
        }
        return values
    }
}

extension ConfigNode {
    /// A non-empty file or folder path.
    func filePath() throws(ConfigError) -> String {
        let text = try string()
        guard !text.isEmpty else { throw error("expected a path, found an empty string", .invalidValue) }
        return text
    }
}

extension ConfigError.Position {
    init(_ mark: Mark) { self.init(line: mark.line, column: mark.column) }
}
