/// The report as JSON with sorted keys, the layout `docs/report.schema.json` describes; times are RFC 3339 strings, numbers
/// that are not finite (a Prometheus query's division by zero) the strings `"+Inf"`, `"-Inf"` and `"NaN"`, as Prometheus's
/// HTTP API writes them.
///
/// The bytes are those of Foundation's `JSONEncoder` (sorted keys, pretty printed, slashes unescaped, non-finite numbers
/// converted to those strings), written by ``PrettyJSONEncoder`` in a fraction of the time: a year's report is 3.5 MB of
/// daily values.
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) throws -> String {
        try PrettyJSONEncoder(nonFiniteNumbers: .prometheus).encode(report) + "\n"
    }
}
