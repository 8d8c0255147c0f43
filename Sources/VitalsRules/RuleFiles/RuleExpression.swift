/// An expression as written in a rule file (`expr:` or `resolve:`), kept as text with the position of every character,
/// so that an error the expression parser reports at an offset into the text can be shown at its `file:line:column`.
public struct RuleExpression: Sendable, Equatable, CustomStringConvertible {
    /// The expression text, as YAML delivers it (quotes, escapes and block indentation removed).
    public let text: String
    /// Where the scalar starts in the file: its first character, after any opening quote or block header.
    public let position: SourcePosition
    /// The position of each Unicode scalar of `text`.
    private let scalarPositions: [SourcePosition]

    init(text: String, position: SourcePosition, scalarPositions: [SourcePosition]) {
        self.text = text
        self.position = position
        self.scalarPositions = scalarPositions
    }

    /// An expression not read from a file (tests, the CLI's `--expr`): positions are columns on line 1 of `file`.
    public init(_ text: String, file: String = "<expression>") {
        let positions = text.unicodeScalars.indices.enumerated().map { SourcePosition(file: file, line: 1, column: $0.offset + 1) }
        self.init(text: text, position: SourcePosition(file: file, line: 1, column: 1), scalarPositions: positions)
    }

    public var description: String { text }

    /// The file position of the character `offset` UTF-8 bytes into `text` (the unit of ``ExpressionError/offset``); an
    /// offset at or past the end maps just after the last character, so "unexpected end of input" points at the end.
    public func position(atUTF8Offset offset: Int) -> SourcePosition {
        let index = text.utf8.index(text.startIndex, offsetBy: max(0, offset), limitedBy: text.endIndex) ?? text.endIndex
        return position(at: index)
    }

    /// The file position of the character at `index` in `text`.
    public func position(at index: String.Index) -> SourcePosition {
        let scalarOffset = text.unicodeScalars.distance(from: text.startIndex, to: index)
        if scalarOffset < scalarPositions.count { return scalarPositions[scalarOffset] }
        guard let last = scalarPositions.last else { return position }
        return SourcePosition(file: last.file, line: last.line, column: last.column + 1)
    }

    /// Parses the expression; a syntax or type error is reported at its `file:line:column`.
    public func parse() throws(RuleFileError) -> Expr {
        do {
            return try ExpressionParser.parse(text)
        } catch {
            throw RuleFileError(at: position(atUTF8Offset: error.offset), error.message)
        }
    }
}
