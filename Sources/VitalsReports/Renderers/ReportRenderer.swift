/// Turns a ``Report`` into text in one format.
public protocol ReportRenderer: Sendable {
    func render(_ report: Report) throws -> String
}
