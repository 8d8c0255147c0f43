/// A place in a rule file: the file as given to the loader, and the 1-based line and column (columns count Unicode scalars, as libYAML does).
public struct SourcePosition: Hashable, Sendable, Codable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into a link.
    public var description: String { "\(file):\(line):\(column)" }
}
