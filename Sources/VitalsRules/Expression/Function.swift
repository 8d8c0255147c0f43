/// The functions rule expressions may call, with Prometheus' signatures (2.42, classic histograms).
public enum Function: String, Sendable, Equatable, CaseIterable {
    // Over a range vector.
    case rate, irate, increase, delta, idelta, deriv, changes, resets
    case predictLinear = "predict_linear"
    case holtWinters = "holt_winters"
    case avgOverTime = "avg_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case sumOverTime = "sum_over_time"
    case countOverTime = "count_over_time"
    case lastOverTime = "last_over_time"
    case quantileOverTime = "quantile_over_time"
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case presentOverTime = "present_over_time"
    case absentOverTime = "absent_over_time"
    // Over an instant vector.
    case absent, abs, ceil, floor, exp, sqrt, ln, log2, log10, sgn, timestamp
    case acos, acosh, asin, asinh, atan, atanh, cos, cosh, sin, sinh, tan, tanh, deg, rad
    case clamp
    case clampMin = "clamp_min"
    case clampMax = "clamp_max"
    case round, sort
    case sortDesc = "sort_desc"
    case histogramQuantile = "histogram_quantile"
    case labelReplace = "label_replace"
    case labelJoin = "label_join"
    // Of the evaluation time, or of each element's value read as seconds since the epoch.
    case dayOfMonth = "day_of_month"
    case dayOfWeek = "day_of_week"
    case dayOfYear = "day_of_year"
    case daysInMonth = "days_in_month"
    case hour, minute, month, year
    // Between types.
    case scalar, vector, time, pi

    /// The types of the arguments, in order; the last ``optionalArgumentCount`` may be left out, and with
    /// ``isVariadic`` the last type repeats.
    public var argumentTypes: [ValueType] {
        switch self {
        case .rate, .irate, .increase, .delta, .idelta, .deriv, .changes, .resets, .avgOverTime, .minOverTime, .maxOverTime, .sumOverTime,
            .countOverTime, .lastOverTime, .stddevOverTime, .stdvarOverTime, .presentOverTime, .absentOverTime:
            [.rangeVector]
        case .predictLinear: [.rangeVector, .scalar]
        case .holtWinters: [.rangeVector, .scalar, .scalar]
        case .quantileOverTime: [.scalar, .rangeVector]
        case .absent, .abs, .ceil, .floor, .exp, .sqrt, .ln, .log2, .log10, .sgn, .timestamp, .acos, .acosh, .asin, .asinh, .atan, .atanh,
            .cos, .cosh, .sin, .sinh, .tan, .tanh, .deg, .rad, .sort, .sortDesc, .scalar:
            [.instantVector]
        case .clamp: [.instantVector, .scalar, .scalar]
        case .clampMin, .clampMax, .round: [.instantVector, .scalar]
        case .histogramQuantile: [.scalar, .instantVector]
        case .labelReplace: [.instantVector, .string, .string, .string, .string]
        case .labelJoin: [.instantVector, .string, .string, .string]
        case .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth, .hour, .minute, .month, .year: [.instantVector]
        case .vector: [.scalar]
        case .time, .pi: []
        }
    }

    /// How many trailing arguments may be omitted: `round`'s `to_nearest`, the date functions' vector (default
    /// `vector(time())`), `label_join`'s source labels.
    public var optionalArgumentCount: Int {
        switch self {
        case .round, .labelJoin, .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth, .hour, .minute, .month, .year: 1
        default: 0
        }
    }

    /// Whether the last argument may repeat (`label_join`'s source labels).
    public var isVariadic: Bool { self == .labelJoin }

    /// The type of the call's value: a scalar for `scalar`, `time` and `pi`, an instant vector otherwise.
    public var returnType: ValueType {
        switch self {
        case .scalar, .time, .pi: .scalar
        default: .instantVector
        }
    }

    /// Whether the result keeps the input's metric name: Prometheus keeps it where the function only filters, orders or
    /// relabels (`last_over_time`, `sort`, `label_replace`, ...), and drops it where it computes a new value.
    var keepsMetricName: Bool {
        switch self {
        case .lastOverTime, .sort, .sortDesc, .labelReplace, .labelJoin: true
        default: false
        }
    }

    /// The spelling in expressions.
    public var name: String { rawValue }
}
