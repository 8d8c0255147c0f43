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

    /// Parses an RFC 3339 time: `2026-11-25T08:00:00Z`, `2026-11-25T09:00:00.250+01:00`, or a date alone (`2026-11-25`,
    /// midnight UTC). The error gives the column and what is wrong: a day the month does not have, an hour past 23, a
    /// second past 59 (a leap second, `23:59:60`, cannot be a Unix time and is refused), an offset past `±23:59`.
    public init(rfc3339 text: String) throws(RFC3339Error) {
        var reader = RFC3339Reader(text: text)
        self = try reader.read()
    }

    /// RFC 3339 in UTC, with milliseconds only when they are not zero: `2026-11-25T08:00:00Z`.
    public var description: String { RFC3339.format(self) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            do {
                self = try Timestamp(rfc3339: text)
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
            }
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
    /// Parses `2026-11-25T08:00:00Z`, `2026-11-25T09:00:00.250+01:00` and the date alone (`2026-11-25`, midnight UTC);
    /// nil for anything else. ``Timestamp/init(rfc3339:)`` says what is wrong, and where.
    public static func parse(_ text: String) -> Timestamp? {
        try? Timestamp(rfc3339: text)
    }

    /// Formats in UTC: `2026-11-25T08:00:00Z`, or `2026-11-25T08:00:00.250Z` when there are milliseconds.
    public static func format(_ timestamp: Timestamp) -> String {
        let totalMilliseconds = timestamp.milliseconds
        let seconds = Int64((Double(totalMilliseconds) / 1000).rounded(.down))
        let millisecond = Int(totalMilliseconds - seconds * 1000)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        // Written byte by byte into the string's own storage: an alert round formats a time for each of thousands of
        // notifications, and joining padded pieces made a dozen strings per time.
        return String(unsafeUninitializedCapacity: 32) { text in
            var end = 0
            func write(_ byte: UInt8) {
                text[end] = byte
                end += 1
            }
            /// `value` in decimal, zeros before it up to `width` characters (a negative year as `"00-5"`, as `String` pads).
            func write(_ value: Int, width: Int) {
                let digits = value < 0 ? Array(String(value).utf8) : nil
                var count = digits?.count ?? 1
                var power = 1
                while value >= 0 && value / power >= 10 {
                    power *= 10
                    count += 1
                }
                for _ in count..<max(width, count) { write(UInt8(ascii: "0")) }
                if let digits {
                    for digit in digits { write(digit) }
                    return
                }
                while power > 0 {
                    write(UInt8(ascii: "0") + UInt8(value / power % 10))
                    power /= 10
                }
            }
            write(date.year, width: 4)
            write(UInt8(ascii: "-"))
            write(date.month, width: 2)
            write(UInt8(ascii: "-"))
            write(date.day, width: 2)
            write(UInt8(ascii: "T"))
            write(secondOfDay / 3600, width: 2)
            write(UInt8(ascii: ":"))
            write(secondOfDay % 3600 / 60, width: 2)
            write(UInt8(ascii: ":"))
            write(secondOfDay % 60, width: 2)
            if millisecond != 0 {
                write(UInt8(ascii: "."))
                write(millisecond, width: 3)
            }
            write(UInt8(ascii: "Z"))
            return end
        }
    }
}
