/// Which files of a repository count: those an `include` pattern matches (every file when there are none) and no
/// `exclude` pattern matches. Patterns are ``GlobPattern``s over the path relative to the repository, and a pattern
/// naming a folder matches every file below it.
public struct PathFilter: Sendable, Hashable, CustomStringConvertible {
    let include: [GlobPattern]
    let exclude: [GlobPattern]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include.map(GlobPattern.init)
        self.exclude = exclude.map(GlobPattern.init)
    }

    /// Whether the file at `relativePath` counts.
    public func contains(_ relativePath: String) -> Bool {
        (include.isEmpty || include.contains { $0.matches(path: relativePath) }) && !exclude.contains { $0.matches(path: relativePath) }
    }

    /// The patterns, as a message names them: `include a, b; exclude c`.
    public var description: String {
        var parts: [String] = []
        if !include.isEmpty { parts.append("include " + include.map(\.text).joined(separator: ", ")) }
        if !exclude.isEmpty { parts.append("exclude " + exclude.map(\.text).joined(separator: ", ")) }
        return parts.isEmpty ? "every file" : parts.joined(separator: "; ")
    }
}
