/// A cron expression that does not parse, with the column (1-based, in Unicode scalars) of the part that is wrong.
public struct CronSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where in the expression the problem starts.
    public let column: Int
    /// What is wrong and what is allowed, without the position.
    public let message: String

    public init(column: Int, _ message: String) {
        self.column = column
        self.message = message
    }

    /// `3: hour 24 out of range 0-23`.
    public var description: String { "\(column): \(message)" }
}
