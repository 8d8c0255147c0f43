/// One problem the linter found in a rule file.
public struct LintFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Level: String, Sendable {
        /// The file must be fixed: `vitals rules check` fails.
        case error
        /// Worth a look; the check still passes.
        case warning
    }

    public let level: Level
    public let position: SourcePosition
    public let message: String

    public init(_ level: Level, at position: SourcePosition, _ message: String) {
        self.level = level
        self.position = position
        self.message = message
    }

    /// `file:line:column: error: message`, as compilers print.
    public var description: String { "\(position): \(level.rawValue): \(message)" }
}
