/// Why an expression does not parse or type-check, and where: the caller maps `line`/`column` into its file.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The UTF-8 byte offset of the offending character from the start of the expression text (0-based).
    public let offset: Int
    /// The 1-based line within the expression text.
    public let line: Int
    /// The 1-based column within that line, counted in characters.
    public let column: Int
    /// What is wrong, in Prometheus' words where Prometheus has them: `unexpected ')' after 'rate(errors[5m]'`.
    public let message: String

    public init(offset: Int, line: Int, column: Int, message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error at `offset` (a UTF-8 byte offset) in `source`, with the line and column computed from the text.
    init(at offset: Int, in source: [UInt8], _ message: String) {
        let offset = Swift.min(Swift.max(0, offset), source.count)
        let lineStart = (source[..<offset].lastIndex(of: 10).map { $0 + 1 }) ?? 0
        let line = source[..<offset].reduce(1) { $1 == 10 ? $0 + 1 : $0 }
        let column = String(decoding: source[lineStart..<offset], as: UTF8.self).count + 1
        self.init(offset: offset, line: line, column: column, message: message)
    }

    /// `line:column: message`.
    public var description: String { "\(line):\(column): \(message)" }

    /// The offending line of `source` with a caret under the column, for terminal output:
    ///
    ///     rate(errors[5m]))
    ///                     ^
    public func caretLine(in source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return "" }
        let text = lines[line - 1]
        // Tabs stay tabs under the caret so terminals align them the same way.
        let padding = text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        return "\(text)\n\(padding)^"
    }
}
