import Yams

/// A part of a configuration file (one channel's settings, say) for a module outside Core that declares its own keys:
/// everything read from it, and every complaint about it, carries the file, line, column and key path. Sendable although
/// Yams' nodes are not: the tree is composed once and only read.
public struct ConfigSection: @unchecked Sendable, Equatable {
    let node: ConfigNode

    init(_ node: ConfigNode) {
        self.node = node
    }

    /// The key path from the top of the document (`channels.oncall`).
    public var path: String { node.path }

    /// Reads `text` as a whole document, for callers that hold a section's text rather than a loaded file (and tests);
    /// `file` is the name messages use.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigSection {
        guard let document = try ConfigLoader.document(text, file: file) else {
            throw ConfigError(file: file, position: nil, message: "expected a mapping, found nothing", code: .wrongType)
        }
        return ConfigSection(document)
    }

    /// The values of a mapping by key, after checking that every key is one of `allowed` (listed in that order in messages).
    public func values(allowed: [String]) throws(ConfigError) -> [String: ConfigSection] {
        try node.mapping(allowed: allowed).mapValues(ConfigSection.init)
    }

    /// The value of `key` when this is a mapping that has it, without checking the other keys.
    public subscript(key: String) -> ConfigSection? {
        node.node.mapping?[key].map { ConfigSection(node.child($0, key: key)) }
    }

    /// The text of a scalar.
    public func string() throws(ConfigError) -> String { try node.string() }

    /// A list of strings; a single string counts as a list of one.
    public func strings() throws(ConfigError) -> [String] { try node.strings() }

    /// The items of a list, each with its index in its path; a single value counts as a list of one.
    public func items() throws(ConfigError) -> [ConfigSection] {
        node.node.scalar != nil ? [self] : try node.items().map(ConfigSection.init)
    }

    /// `true` or `false`.
    public func flag() throws(ConfigError) -> Bool { try AlertingReader.flag(node) }

    /// The name of an environment variable holding a secret; a value that is not one (a pasted token, a URL) is rejected
    /// without being repeated. `example` is a name that would fit.
    public func variableName(example: String) throws(ConfigError) -> String {
        try TokenEnvironment.variableName(node, example: example)
    }

    /// An error at this part of the file, prefixed with its key path.
    public func error(_ message: String, _ code: ConfigError.Code) -> ConfigError { node.error(message, code) }
}
