public import Foundation

/// An instant as whole milliseconds since the Unix epoch, the store's native time unit.
public struct Timestamp: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public init(_ date: Date) {
        milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public init(seconds: Int64) {
        milliseconds = seconds * 1000
    }

    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    public var secondsSinceEpoch: Double { Double(milliseconds) / 1000 }

    public func adding(_ span: TimeSpan) -> Timestamp { Timestamp(milliseconds: milliseconds + span.milliseconds) }

    public func subtracting(_ span: TimeSpan) -> Timestamp { Timestamp(milliseconds: milliseconds - span.milliseconds) }

    /// RFC 3339 in UTC, with milliseconds only when they are not zero: `2026-11-25T08:00:00Z`.
    public var description: String { RFC3339.format(self) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let parsed = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an RFC 3339 time")
            }
            self = parsed
        } else {
            milliseconds = try container.decode(Int64.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// RFC 3339 times, the format of every time vitals reads or prints.
public enum RFC3339 {
    /// Parses `2026-11-25T08:00:00Z`, `2026-11-25T09:00:00.250+01:00` and the date alone (`2026-11-25`, midnight UTC).
    public static func parse(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), bytes.count >= 10, bytes[4] == 45, let month = number(5..<7), bytes[7] == 45,
            let day = number(8..<10), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var millisecond = 0
        var offsetSeconds = 0
        if bytes.count > 10 {
            guard bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, let h = number(11..<13), bytes.count > 13, bytes[13] == 58,
                let m = number(14..<16), bytes.count > 16, bytes[16] == 58, let s = number(17..<19), h < 24, m < 60, s < 61
            else { return nil }
            (hour, minute, second) = (h, m, s)
            var index = 19
            if index < bytes.count, bytes[index] == 46 {
                index += 1
                var digits = 0
                var fraction = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 3 {
                        fraction = fraction * 10 + Int(bytes[index] - 48)
                        digits += 1
                    }
                    index += 1
                }
                guard digits > 0 else { return nil }
                while digits < 3 {
                    fraction *= 10
                    digits += 1
                }
                millisecond = fraction
            }
            guard index < bytes.count else { return nil }
            if bytes[index] == 90 || bytes[index] == 122 {
                guard index + 1 == bytes.count else { return nil }
            } else {
                guard bytes[index] == 43 || bytes[index] == 45, index + 6 == bytes.count, let oh = number(index + 1..<index + 3),
                    bytes[index + 3] == 58, let om = number(index + 4..<index + 6)
                else { return nil }
                offsetSeconds = (oh * 3600 + om * 60) * (bytes[index] == 45 ? -1 : 1)
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        let milliseconds = seconds * 1000 + Int64(millisecond)
        // An offset can move a date at either end of 0000–9999 out of the years a time prints in (UTC, four digits).
        guard printable.contains(milliseconds) else { return nil }
        return Timestamp(milliseconds: milliseconds)
    }

    /// The instants `format` writes as RFC 3339: 0000-01-01T00:00:00Z up to the end of 9999-12-31 (UTC).
    static let printable =
        Int64(daysFromCivil(year: 0, month: 1, day: 1)) * 86_400_000..<Int64(daysFromCivil(year: 10_000, month: 1, day: 1)) * 86_400_000

    /// Formats in UTC: `2026-11-25T08:00:00Z`, or `2026-11-25T08:00:00.250Z` when there are milliseconds.
    public static func format(_ timestamp: Timestamp) -> String {
        let totalMilliseconds = timestamp.milliseconds
        let seconds = Int64((Double(totalMilliseconds) / 1000).rounded(.down))
        let millisecond = Int(totalMilliseconds - seconds * 1000)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let time = "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
        let fraction = millisecond == 0 ? "" : ".\(pad(millisecond, 3))"
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(time)\(fraction)Z"
    }

    // Howard Hinnant's days-from-civil algorithms: exact for the proleptic Gregorian calendar, no Calendar needed.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
