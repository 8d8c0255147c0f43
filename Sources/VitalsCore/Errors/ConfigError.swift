/// A problem in a configuration file, positioned so an editor can jump to it.
///
/// The description is `file:line:col: message` (1-based line and column), or `file: message` for a
/// problem with the file as a whole, such as a missing file. Messages name the key, what was found and
/// what is allowed.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file as the user named it.
    public let file: String
    /// Where in the file; nil when the problem is the file itself.
    public let position: Position?
    /// What is wrong and what would be right, without the file and position.
    public let message: String
    /// The kind of problem, for callers that react to some kinds (such as a missing file) differently.
    public let code: Code

    public init(file: String, position: Position?, message: String, code: Code) {
        self.file = file
        self.position = position
        self.message = message
        self.code = code
    }

    public var description: String {
        guard let position else { return "\(file): \(message)" }
        return "\(file):\(position.line):\(position.column): \(message)"
    }

    /// A 1-based line and column.
    public struct Position: Hashable, Sendable {
        public let line: Int
        public let column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    /// The kinds of configuration problem; a struct over a private enum so kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case fileNotFound, unreadableFile, syntax, wrongType, unknownKey, missingKey, invalidValue, duplicateName, missingEnvironment
        }

        private let value: Value

        /// The file does not exist.
        public static let fileNotFound = Code(value: .fileNotFound)
        /// The file exists but cannot be read as UTF-8 text.
        public static let unreadableFile = Code(value: .unreadableFile)
        /// The text is not valid YAML.
        public static let syntax = Code(value: .syntax)
        /// A value has the wrong shape: a list where a string belongs, and so on.
        public static let wrongType = Code(value: .wrongType)
        /// A key the schema does not know.
        public static let unknownKey = Code(value: .unknownKey)
        /// A required key is absent.
        public static let missingKey = Code(value: .missingKey)
        /// A value of the right shape that is not allowed: a bad duration, time zone or source type.
        public static let invalidValue = Code(value: .invalidValue)
        /// Two sources share a name.
        public static let duplicateName = Code(value: .duplicateName)
        /// An environment variable named by `token_env` is not set.
        public static let missingEnvironment = Code(value: .missingEnvironment)

        public var description: String { value.rawValue }
    }
}
