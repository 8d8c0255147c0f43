import Foundation
import Mustache

/// A report rendered through a custom Mustache template (`reports/NAME.md.mustache`, `reports/NAME.html.mustache`) in place
/// of the built-in layout. The template sees the report's JSON document (`docs/report.schema.json`, `schema_version` 3,
/// snake_case keys) as its context, so what a template can show is exactly what the JSON contract promises.
///
/// Markdown templates are plain text; HTML templates escape `{{value}}` for HTML (`{{{value}}}` writes it as it is).
public struct TemplateRenderer: DigestRenderer {
    /// The formats a template may replace: JSON is the contract itself, and Slack payloads must stay within Slack's limits.
    public static let formats: [ReportFormat] = [.md, .html]

    /// Markdown output must not be HTML-escaped; the pragma is put before the template's first line.
    private static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    let template: MustacheTemplate

    /// Parses `text`; `file` is the name errors use.
    public init(text: String, format: ReportFormat, file: String) throws(TemplateError) {
        let prefix = format == .md ? Self.textPragma : ""
        do {
            template = try MustacheTemplate(string: prefix + text)
        } catch let error as MustacheTemplate.ParserError {
            let column = error.context.columnNumber - (error.context.lineNumber == 1 ? prefix.count : 0)
            throw TemplateError(file: file, line: error.context.lineNumber, column: max(column, 1), message: Self.message(error.error))
        } catch {
            throw TemplateError(file: file, line: nil, column: nil, message: "\(error)")
        }
    }

    public func render(_ digest: Digest) throws -> String {
        let json = try DigestJSONRenderer().render(digest)
        return template.render(try JSONSerialization.jsonObject(with: Data(json.utf8)))
    }

    private static func message(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case .unfinishedName: "a tag is not finished; close it with }}"
        case .expectedSectionEnd: "a section is not closed; end it with {{/name}}"
        case .invalidSetDelimiter: "a set-delimiter tag is malformed"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: "an unknown or malformed {{% pragma}}"
        default: "invalid template: \(error)"
        }
    }
}

/// A Mustache template that cannot be parsed, positioned like a configuration error: `reports/daily.md.mustache:3:7: …`.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public var description: String {
        guard let line, let column else { return "\(file): \(message)" }
        return "\(file):\(line):\(column): \(message)"
    }
}
