/// The formats `vitals report --format` accepts.
public enum ReportFormat: String, Sendable, CaseIterable {
    case md
    case json
    /// Slack Block Kit: a JSON array of message payloads.
    case slack
    case html

    /// Parses a `--format` value; the error lists the accepted ones.
    public init(parsing text: String) throws(ReportFormatError) {
        guard let format = ReportFormat(rawValue: text) else { throw ReportFormatError(value: text) }
        self = format
    }

    /// The renderer that writes the standard report (`vitals report` without a name) in this format; nil for the formats
    /// only digests have.
    public var renderer: (any ReportRenderer)? {
        switch self {
        case .md: MarkdownRenderer()
        case .json: JSONRenderer()
        case .slack, .html: nil
        }
    }

    /// The renderer that writes a digest (`vitals report NAME`) in this format.
    public var digestRenderer: any DigestRenderer {
        switch self {
        case .md: DigestMarkdownRenderer()
        case .json: DigestJSONRenderer()
        case .slack: SlackRenderer()
        case .html: HTMLRenderer()
        }
    }

    /// The extension of an archived report in this format.
    public var fileExtension: String {
        switch self {
        case .md: "md"
        case .json: "json"
        case .slack: "slack.json"
        case .html: "html"
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
