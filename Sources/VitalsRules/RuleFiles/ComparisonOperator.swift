/// The comparison in a threshold condition (`x > 5%`) or a `thresholds:` block.
public enum ComparisonOperator: String, Sendable, Codable, CaseIterable {
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="
    case equal = "=="

    /// The operators a `thresholds:` block accepts as `op:`, for error messages.
    public static let orderingValues = [greater, greaterOrEqual, less, lessOrEqual].map(\.rawValue).joined(separator: ", ")

    /// Whether larger values are worse: true for `>` and `>=`.
    public var isUpward: Bool { self == .greater || self == .greaterOrEqual }

    /// The comparison operators of the expression language that are one of these; nil for `!=` and the rest.
    init?(_ op: BinaryOperator) {
        self.init(rawValue: op.rawValue)
    }

    /// The same comparison with the operands swapped: `5 < x` is `x > 5`.
    var flipped: ComparisonOperator {
        switch self {
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .equal: .equal
        }
    }

    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greater: value > threshold
        case .greaterOrEqual: value >= threshold
        case .less: value < threshold
        case .lessOrEqual: value <= threshold
        case .equal: value == threshold
        }
    }
}
