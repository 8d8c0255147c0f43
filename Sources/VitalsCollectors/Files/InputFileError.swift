/// A file that is not what its reader expected: names the file, the place in it, and what should be there.
public struct InputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path relative to the repository.
    public let file: String
    /// Where in the file, when the reader can tell.
    public let location: Location?
    /// What was wrong and what was expected instead.
    public let message: String

    public init(file: String, at location: Location? = nil, _ message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// A place in a file, in the terms its format gives.
    public enum Location: Sendable, Equatable, CustomStringConvertible {
        /// A 1-based line, and column when known.
        case line(Int, column: Int? = nil)
        /// A 0-based byte offset (JSON parsers report these).
        case byte(Int)
        /// A path to a value inside a JSON document, such as `runs[0].results[3].level`.
        case path(String)

        public var description: String {
            switch self {
            case .line(let line, let column?): "line \(line), column \(column)"
            case .line(let line, nil): "line \(line)"
            case .byte(let offset): "byte \(offset)"
            case .path(let path): path.isEmpty ? "the top level" : path
            }
        }
    }

    public var description: String {
        guard let location else { return "\(file): \(message)" }
        return "\(file), \(location): \(message)"
    }
}
