/// The functions rule expressions may call, with Prometheus' signatures.
public enum Function: String, Sendable, Equatable, CaseIterable {
    case rate, increase, delta
    case avgOverTime = "avg_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case sumOverTime = "sum_over_time"
    case countOverTime = "count_over_time"
    case lastOverTime = "last_over_time"
    case quantileOverTime = "quantile_over_time"
    case absent
    case absentOverTime = "absent_over_time"
    case abs
    case clampMin = "clamp_min"
    case clampMax = "clamp_max"
    case round
    case scalar, vector, time

    /// The types of the arguments, in order; the last ``optionalArgumentCount`` may be left out.
    public var argumentTypes: [ValueType] {
        switch self {
        case .rate, .increase, .delta, .avgOverTime, .minOverTime, .maxOverTime, .sumOverTime, .countOverTime, .lastOverTime,
            .absentOverTime:
            [.rangeVector]
        case .quantileOverTime: [.scalar, .rangeVector]
        case .absent, .abs, .scalar: [.instantVector]
        case .clampMin, .clampMax: [.instantVector, .scalar]
        case .round: [.instantVector, .scalar]
        case .vector: [.scalar]
        case .time: []
        }
    }

    /// How many trailing arguments may be omitted (`round`'s `to_nearest`).
    public var optionalArgumentCount: Int { self == .round ? 1 : 0 }

    /// The type of the call's value: a scalar for `scalar` and `time`, an instant vector otherwise.
    public var returnType: ValueType {
        switch self {
        case .scalar, .time: .scalar
        default: .instantVector
        }
    }

    /// The spelling in expressions.
    public var name: String { rawValue }
}
