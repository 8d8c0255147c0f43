public import VitalsCore
/// The `thresholds:` extension: `expr` is the left-hand side, each severity has its own threshold, and an alert's severity
/// is the highest one whose threshold the value crosses.
public struct Thresholds: Sendable, Equatable {
    /// How the value is compared with each threshold (`op:`, default `>`).
    public let op: ComparisonOperator
    /// Severity to threshold, e.g. `[.warning: 0.02, .critical: 0.05]`.
    public let levels: [Severity: Double]
    /// Where each level was written, for lint messages.
    public let positions: [Severity: SourcePosition]

    public init(op: ComparisonOperator = .greater, levels: [Severity: Double], positions: [Severity: SourcePosition] = [:]) {
        self.op = op
        self.levels = levels
        self.positions = positions
    }

    /// The highest severity whose threshold `value` crosses, or nil when it crosses none.
    public func severity(of value: Double) -> Severity? {
        levels.filter { op.holds(value, $0.value) }.keys.max()
    }

    /// The least severe level: crossing it is the fire condition.
    public var lowest: (severity: Severity, value: Double)? {
        levels.min { $0.key < $1.key }.map { (severity: $0.key, value: $0.value) }
    }
}
