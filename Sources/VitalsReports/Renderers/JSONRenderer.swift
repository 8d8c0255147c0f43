import Foundation

/// The report as JSON with sorted keys, the layout `docs/report.schema.json` describes; times are RFC 3339 strings.
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
