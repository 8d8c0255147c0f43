/// A problem in a schedule file, positioned as `file:line:col: message` so an editor can jump to it.
public struct ScheduleFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    /// What is wrong and what is allowed, without the position.
    public let message: String

    public init(file: String, line: Int, column: Int, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
