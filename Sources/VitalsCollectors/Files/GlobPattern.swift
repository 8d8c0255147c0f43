/// One path pattern relative to a root folder: plain segments, `*` and `?` inside a segment, `**` for any depth.
///
/// Matching goes segment by segment, so a pattern such as `.build/debug/codecov/*.json` only ever lists
/// the one folder it names, however large the rest of `.build` is.
struct GlobPattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written, slashes normalised.
    let text: String
    let segments: [Segment]

    enum Segment: Hashable, Sendable {
        /// A name to take as is.
        case literal(String)
        /// A name pattern with `*` or `?`.
        case wildcard(String)
        /// `**`: zero or more folders.
        case anyDepth
    }

    init(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }.map(String.init)
        self.text = parts.joined(separator: "/")
        segments = parts.map { part in
            if part == "**" { return .anyDepth }
            return part.contains(where: { $0 == "*" || $0 == "?" }) ? .wildcard(part) : .literal(part)
        }
    }

    var description: String { text }

    /// Whether a relative, `/`-separated path matches the pattern, or one of the folders it is in does: `.build` and
    /// `**/Tests` match every file below such a folder, `**/*Tests.swift` matches those files at any depth.
    func matches(path: String) -> Bool {
        Self.matches(segments[...], path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)[...])
    }

    private static func matches(_ segments: ArraySlice<Segment>, _ names: ArraySlice<String>) -> Bool {
        // The whole pattern matched the path or a folder on it.
        guard let segment = segments.first else { return true }
        switch segment {
        case .anyDepth:
            return matches(segments.dropFirst(), names) || (!names.isEmpty && matches(segments, names.dropFirst()))
        case .literal(let literal):
            return names.first == literal && matches(segments.dropFirst(), names.dropFirst())
        case .wildcard(let pattern):
            guard let name = names.first, matches(name, pattern: pattern) else { return false }
            return matches(segments.dropFirst(), names.dropFirst())
        }
    }

    /// Whether a single path segment `name` matches `pattern`, where `*` is any run of characters and `?` one character.
    static func matches(_ name: String, pattern: String) -> Bool {
        let name = Array(name)
        let pattern = Array(pattern)
        var nameIndex = 0
        var patternIndex = 0
        // Where the last `*` was, and which name position it currently stands for, to backtrack to.
        var star: (pattern: Int, name: Int)?
        while nameIndex < name.count {
            if patternIndex < pattern.count, pattern[patternIndex] == "?" || pattern[patternIndex] == name[nameIndex] {
                nameIndex += 1
                patternIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == "*" {
                star = (patternIndex, nameIndex)
                patternIndex += 1
            } else if let last = star {
                star = (last.pattern, last.name + 1)
                patternIndex = last.pattern + 1
                nameIndex = last.name + 1
            } else {
                return false
            }
        }
        return pattern[patternIndex...].allSatisfy { $0 == "*" }
    }
}
