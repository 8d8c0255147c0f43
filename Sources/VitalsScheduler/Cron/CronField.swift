/// One of the five fields of a cron expression, with the values it allows and the names it accepts.
public enum CronField: Int, CaseIterable, Sendable, CustomStringConvertible {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The values the field allows; day-of-week allows 7 as a second Sunday, as Vixie cron does.
    public var range: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The field's name in messages.
    public var description: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Names the field accepts in place of numbers, uppercase, with their values.
    var names: [String: Int] {
        switch self {
        case .month: Self.monthNames
        case .dayOfWeek: Self.weekdayNames
        default: [:]
        }
    }

    private static let monthNames = Dictionary(
        uniqueKeysWithValues: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"].enumerated().map { ($1, $0 + 1) })
    private static let weekdayNames = Dictionary(uniqueKeysWithValues: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"].enumerated().map { ($1, $0) })
}

/// A set of small non-negative integers (0–63) as a bit mask: the values one cron field matches.
struct CronValueSet: Hashable, Sendable {
    private(set) var bits: UInt64 = 0

    init() {}

    init(_ values: some Sequence<Int>) {
        for value in values { insert(value) }
    }

    mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }

    mutating func formUnion(_ other: CronValueSet) { bits |= other.bits }

    func contains(_ value: Int) -> Bool { value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0 }

    var isEmpty: Bool { bits == 0 }

    /// The smallest member that is at least `value`, or nil.
    func first(atLeast value: Int) -> Int? {
        guard value < 64 else { return nil }
        let masked = bits & (~0 << UInt64(Swift.max(0, value)))
        return masked == 0 ? nil : masked.trailingZeroBitCount
    }

    var min: Int? { first(atLeast: 0) }

    var max: Int? { bits == 0 ? nil : 63 - bits.leadingZeroBitCount }
}
