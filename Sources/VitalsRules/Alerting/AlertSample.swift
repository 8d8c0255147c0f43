public import VitalsCore
/// The value of a rule's expression for one label set at one evaluation, with the severity it earns.
public struct AlertSample: Sendable, Equatable, Codable {
    public let value: Double
    /// The severity: from `thresholds` (``Thresholds/severity(of:)``), else the rule's `severity` label, else nil.
    public let severity: Severity?

    public init(value: Double, severity: Severity? = nil) {
        self.value = value
        self.severity = severity
    }
}
