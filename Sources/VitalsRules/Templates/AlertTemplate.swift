/// An alert label or annotation template, in the subset of Go's `text/template` that Prometheus rule files use:
/// `{{ $value }}`, `{{ $labels.service }}`, `{{ .Value }}`, `{{ .Labels.x }}`, `{{ $externalLabels.x }}`, pipelines
/// (`{{ $value | humanizePercentage }}`), `printf`, the `humanize` family, `toUpper`, `toLower`, and `{{-`/`-}}` trimming.
///
/// A missing label prints as the empty string, as Prometheus sets `missingkey=zero`.
public struct AlertTemplate: Sendable, Equatable {
    /// The template as written.
    public let text: String
    let segments: [TemplateSegment]

    /// Parses `text`; an unsupported construct or unknown function is an error at its offset.
    public init(_ text: String) throws(TemplateError) {
        self.text = text
        segments = try TemplateParser.parse(text)
    }

    /// Whether the text contains no action and so renders as itself.
    public var isPlainText: Bool { segments.allSatisfy { if case .text = $0 { true } else { false } } }

    /// The text with every action replaced by its value for `data`.
    public func render(_ data: TemplateData) -> String {
        var output = ""
        for segment in segments {
            switch segment {
            case .text(let text): output += text
            case .action(let pipeline): output += pipeline.evaluate(data).rendered
            }
        }
        return output
    }
}

/// What a template can refer to: the alert's labels, its value, and the external labels.
public struct TemplateData: Sendable {
    public var labels: [String: String]
    public var value: Double
    public var externalLabels: [String: String]
    public var externalURL: String

    public init(labels: [String: String], value: Double, externalLabels: [String: String] = [:], externalURL: String = "") {
        self.labels = labels
        self.value = value
        self.externalLabels = externalLabels
        self.externalURL = externalURL
    }
}

/// A template that does not parse: the offset into the template text and what is wrong there.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The character offset into the template text.
    public let offset: Int
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "template error at character \(offset + 1): \(message)" }
}

enum TemplateSegment: Sendable, Equatable {
    case text(String)
    case action(TemplatePipeline)
}
