/// The report as JSON with sorted keys, the layout `docs/report.schema.json` describes; times are RFC 3339 strings.
///
/// The bytes are those of Foundation's `JSONEncoder` (sorted keys, pretty printed, slashes unescaped), written by
/// ``PrettyJSONEncoder`` in a fraction of the time: a year's report is 3.5 MB of daily values.
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) throws -> String {
        try PrettyJSONEncoder().encode(report) + "\n"
    }
}
