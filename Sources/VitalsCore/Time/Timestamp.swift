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
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let time = "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
        let fraction = millisecond == 0 ? "" : ".\(pad(millisecond, 3))"
        return "\(date)T\(time)\(fraction)Z"
    }
}
