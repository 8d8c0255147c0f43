import Foundation

/// A length of time written as in Prometheus: `30s`, `5m`, `2h`, `7d`, `1w`, or compound `1h30m`.
///
/// Spans written in whole days or weeks are calendar spans: periods built from them are aligned to
/// the time zone's day boundaries (see ``Period``).
public struct TimeSpan: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let milliseconds: Int64
    /// Whether the text was written in days or weeks only (`7d`, `2w`), which makes periods day-aligned.
    public let isCalendarDays: Bool

    public static let units: [(suffix: String, milliseconds: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// The accepted unit suffixes, for error messages.
    public static let acceptedUnits = "ms, s, m, h, d, w, y"

    /// The longest duration any text may name: 10000y. RFC 3339 times lie in years 0000–9999, so any time plus or minus
    /// any duration stays far inside the millisecond range, and no arithmetic on a parsed duration can overflow.
    public static let longest = TimeSpan(milliseconds: 10_000 * 365 * 86_400_000)

    /// The longest span of history read, reported or queried at once (a backfill, a git source's `history`, a report's
    /// period): 100y. Such work takes a bucket or a sample per day, so a mistyped `3000y` would run for hours.
    public static let longestHistory = TimeSpan(milliseconds: 100 * 365 * 86_400_000)

    public init(milliseconds: Int64, isCalendarDays: Bool = false) {
        self.milliseconds = milliseconds
        self.isCalendarDays = isCalendarDays
    }

    /// The whole milliseconds of a measured duration.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(milliseconds: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    public static func seconds(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 1000) }
    public static func minutes(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 60_000) }
    public static func hours(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 3_600_000) }
    public static func days(_ value: Int64) -> TimeSpan { TimeSpan(milliseconds: value * 86_400_000, isCalendarDays: true) }

    /// Whole calendar days, for day-aligned spans.
    public var days: Int { Int(milliseconds / 86_400_000) }

    /// Whole years of 365 days, as the `y` unit counts them.
    public var years: Int64 { milliseconds / (365 * 86_400_000) }

    public var seconds: Double { Double(milliseconds) / 1000 }

    /// Parses a span; the error says what was wrong and which units are accepted.
    public init(parsing text: String) throws(TimeSpanError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TimeSpanError(text: text, reason: "a duration is empty") }
        var rest = Substring(trimmed)
        var total: Int64 = 0
        var previousUnitIndex = -1
        var onlyDays = true
        let tooLong = TimeSpanError(text: text, reason: "longer than \(TimeSpan.longest.years)y, the longest duration accepted")
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else {
                throw TimeSpanError(text: text, reason: "expected a whole number before a unit, as in 30s, 5m, 2h, 7d")
            }
            // A number too large for Int64 names a duration far beyond the longest.
            guard let number = Int64(digits) else { throw tooLong }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isLetter }
            guard !letters.isEmpty else {
                throw TimeSpanError(text: text, reason: "'\(digits)' has no unit; accepted units: \(TimeSpan.acceptedUnits)")
            }
            guard let unitIndex = TimeSpan.units.firstIndex(where: { $0.suffix == letters }) else {
                throw TimeSpanError(text: text, reason: "unknown unit '\(letters)'; accepted units: \(TimeSpan.acceptedUnits)")
            }
            guard unitIndex > previousUnitIndex else {
                throw TimeSpanError(text: text, reason: "units must go from largest to smallest, each once (as in 1h30m)")
            }
            previousUnitIndex = unitIndex
            onlyDays = onlyDays && (letters == "d" || letters == "w")
            let (product, overflow) = number.multipliedReportingOverflow(by: TimeSpan.units[unitIndex].milliseconds)
            guard !overflow, product <= TimeSpan.longest.milliseconds - total else { throw tooLong }
            total += product
            rest = rest.dropFirst(letters.count)
        }
        self.init(milliseconds: total, isCalendarDays: onlyDays)
    }

    /// The text that parses back to this span, in days and smaller units: `90m` prints as `1h30m`, `2w` as `14d`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = milliseconds < 0 ? "-" : ""
        rest = abs(rest)
        // Days are the largest unit printed: reports say "7d", which reads better than "1w".
        for (suffix, size) in TimeSpan.units where rest >= size && suffix != "y" && suffix != "w" {
            text += "\(rest / size)\(suffix)"
            rest %= size
        }
        return text
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public static func == (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.milliseconds == rhs.milliseconds }

    public func hash(into hasher: inout Hasher) { hasher.combine(milliseconds) }
}

/// A duration that does not parse: carries the text and what to write instead.
public struct TimeSpanError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "invalid duration '\(text)': \(reason)" }
}
