/// The formats `vitals report --format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable {
    case md
    case json

    /// Parses a `--format` value; the error lists the accepted ones.
    public init(parsing text: String) throws(ReportFormatError) {
        guard let format = ReportFormat(rawValue: text) else { throw ReportFormatError(value: text) }
        self = format
    }

    /// The renderer that writes this format.
    public var renderer: any ReportRenderer {
        switch self {
        case .md: MarkdownRenderer()
        case .json: JSONRenderer()
        }
    }
}

/// A `--format` value that is not a report format.
public struct ReportFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let value: String

    public init(value: String) {
        self.value = value
    }

    public var description: String {
        "unknown report format '\(value)'; allowed: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))"
    }
}
