/// A rule file that cannot be loaded: where the problem is and what to write instead.
///
/// `description` is `file:line:column: message`, with the position of the YAML node at fault.
public struct RuleFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let position: SourcePosition
    public let message: String

    public init(at position: SourcePosition, _ message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { "\(position): \(message)" }
}
