/// An expression of the form `<lhs> <op> <number>` (or `<number> <op> <rhs>`), which the linter can compare with another
/// such condition on the same left-hand side.
public struct ThresholdCondition: Sendable, Equatable {
    public let lhs: Expr
    public let op: ComparisonOperator
    public let threshold: Double

    public init(lhs: Expr, op: ComparisonOperator, threshold: Double) {
        self.lhs = lhs
        self.op = op
        self.threshold = threshold
    }

    /// Recognises a filtering comparison of an instant vector with a number; nil for anything else (including `bool`
    /// comparisons, which keep every series and so are not a condition).
    public init?(recognising expr: Expr) {
        guard case .binary(let operation) = expr, operation.steps.count == 1, let step = operation.steps.first, !step.returnsBool,
            let op = ComparisonOperator(step.op)
        else { return nil }
        switch (operation.lhs, step.rhs) {
        case (let vector, .number(let threshold)) where vector.type == .instantVector:
            self.init(lhs: vector, op: op, threshold: threshold)
        case (.number(let threshold), let vector) where vector.type == .instantVector:
            self.init(lhs: vector, op: op.flipped, threshold: threshold)
        default:
            return nil
        }
    }

    /// The values for which the condition holds, as an interval.
    var interval: ValueInterval {
        switch op {
        case .greater: ValueInterval(lower: threshold, lowerClosed: false, upper: .infinity, upperClosed: false)
        case .greaterOrEqual: ValueInterval(lower: threshold, lowerClosed: true, upper: .infinity, upperClosed: false)
        case .less: ValueInterval(lower: -.infinity, lowerClosed: false, upper: threshold, upperClosed: false)
        case .lessOrEqual: ValueInterval(lower: -.infinity, lowerClosed: false, upper: threshold, upperClosed: true)
        case .equal: ValueInterval(lower: threshold, lowerClosed: true, upper: threshold, upperClosed: true)
        }
    }
}

/// A set of real numbers between two bounds, each bound included or not.
struct ValueInterval: Equatable {
    let lower: Double
    let lowerClosed: Bool
    let upper: Double
    let upperClosed: Bool

    /// The numbers in both intervals, or nil when there are none.
    func intersection(_ other: ValueInterval) -> ValueInterval? {
        let (lower, lowerClosed) =
            self.lower == other.lower
            ? (self.lower, self.lowerClosed && other.lowerClosed)
            : (self.lower > other.lower ? (self.lower, self.lowerClosed) : (other.lower, other.lowerClosed))
        let (upper, upperClosed) =
            self.upper == other.upper
            ? (self.upper, self.upperClosed && other.upperClosed)
            : (self.upper < other.upper ? (self.upper, self.upperClosed) : (other.upper, other.upperClosed))
        if lower < upper || (lower == upper && lowerClosed && upperClosed) {
            return ValueInterval(lower: lower, lowerClosed: lowerClosed, upper: upper, upperClosed: upperClosed)
        }
        return nil
    }

    /// Interval notation: `(0.05, 0.06)`, `[0.05, inf)`.
    var description: String {
        "\(lowerClosed ? "[" : "(")\(ValueInterval.format(lower)), \(ValueInterval.format(upper))\(upperClosed ? "]" : ")")"
    }

    static func format(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
