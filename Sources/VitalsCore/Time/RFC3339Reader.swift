/// A text that is not an RFC 3339 time: what is wrong and at which column (1-based, in characters).
///
/// Printed as `2026-02-31: day 31 out of range 1-28 for 2026-02 (column 9)`.
public struct RFC3339Error: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let column: Int
    public let reason: String

    public init(text: String, column: Int, reason: String) {
        self.text = text
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(text): \(reason) (column \(column))" }
}

/// Reads `YYYY-MM-DD`, optionally followed by `THH:MM:SS[.fff…]` and `Z` or `±HH:MM`, checking every field's range.
struct RFC3339Reader {
    let text: String
    private let bytes: [UInt8]
    private var index = 0

    init(text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    mutating func read() throws(RFC3339Error) -> Timestamp {
        guard bytes.count >= 4, bytes[..<4].allSatisfy(isDigit) else {
            throw error(at: 0, "expected an RFC 3339 time such as 2026-11-25T08:00:00Z, 2026-11-25T09:00:00+01:00 or 2026-11-25")
        }
        let year = try digits(4, "a 4-digit year")
        try expect(UInt8(ascii: "-"), "'-' after the year")
        let monthColumn = index
        let month = try digits(2, "a 2-digit month")
        guard (1...12).contains(month) else { throw error(at: monthColumn, "month \(month) out of range 1-12") }
        try expect(UInt8(ascii: "-"), "'-' after the month")
        let dayColumn = index
        let day = try digits(2, "a 2-digit day")
        let monthDays = CivilDate.daysIn(month: month, year: year)
        guard (1...monthDays).contains(day) else {
            throw error(at: dayColumn, "day \(day) out of range 1-\(monthDays) for \(pad(year, 4))-\(pad(month, 2))")
        }
        var secondOfDay = 0
        var millisecond = 0
        var offsetSeconds = 0
        var zoneIndex = bytes.count
        if index < bytes.count {
            guard [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[index]) else {
                throw error(at: index, "expected 'T' between the date and the time")
            }
            index += 1
            let hour = try field(max: 23, "hour")
            try expect(UInt8(ascii: ":"), "':' after the hour")
            let minute = try field(max: 59, "minute")
            try expect(UInt8(ascii: ":"), "':' after the minute")
            let secondColumn = index
            let second = try digits(2, "a 2-digit second")
            if second == 60 {
                throw error(at: secondColumn, "second 60 (a leap second) cannot be a Unix time; use 59")
            }
            guard second <= 59 else { throw error(at: secondColumn, "second \(second) out of range 0-59") }
            secondOfDay = hour * 3600 + minute * 60 + second
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionColumn = index
                var count = 0
                while index < bytes.count, isDigit(bytes[index]) {
                    // Milliseconds are the store's unit; further digits are read and dropped.
                    if count < 3 { millisecond = millisecond * 10 + Int(bytes[index] - 48) }
                    count += 1
                    index += 1
                }
                guard count > 0 else { throw error(at: fractionColumn, "expected digits after '.'") }
                for _ in count..<max(count, 3) { millisecond *= 10 }
            }
            guard index < bytes.count else { throw error(at: index, "expected 'Z' or an offset such as +01:00 after the time") }
            zoneIndex = index
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                let hours = try field(max: 23, "offset hour")
                try expect(UInt8(ascii: ":"), "':' in the offset")
                let minutes = try field(max: 59, "offset minute")
                offsetSeconds = sign * (hours * 3600 + minutes * 60)
            default:
                throw error(at: index, "expected 'Z' or an offset such as +01:00 after the time")
            }
        }
        guard index == bytes.count else { throw error(at: index, "unexpected text after the time") }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        let seconds = Int64(days) * 86_400 + Int64(secondOfDay - offsetSeconds)
        let milliseconds = seconds * 1000 + Int64(millisecond)
        // An offset can carry the first or last day of 0000–9999 out of the years a time prints in (UTC, four digits).
        guard Self.printable.contains(milliseconds) else {
            throw error(at: zoneIndex, "the offset moves this time outside the years 0000-9999 (in UTC), which vitals cannot print back")
        }
        return Timestamp(milliseconds: milliseconds)
    }

    /// The instants RFC 3339 formatting writes: 0000-01-01T00:00:00Z up to the end of 9999-12-31 (UTC).
    static let printable =
        Int64(CivilDate(year: 0, month: 1, day: 1).daysSinceEpoch) * 86_400_000..<Int64(CivilDate(year: 10_000, month: 1, day: 1).daysSinceEpoch)
        * 86_400_000

    private mutating func field(max: Int, _ name: String) throws(RFC3339Error) -> Int {
        let column = index
        let value = try digits(2, "a 2-digit \(name)")
        guard value <= max else { throw error(at: column, "\(name) \(value) out of range 0-\(max)") }
        return value
    }

    private mutating func digits(_ count: Int, _ what: String) throws(RFC3339Error) -> Int {
        var value = 0
        for offset in 0..<count {
            guard index + offset < bytes.count, isDigit(bytes[index + offset]) else { throw error(at: index + offset, "expected \(what)") }
            value = value * 10 + Int(bytes[index + offset] - 48)
        }
        index += count
        return value
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(RFC3339Error) {
        guard index < bytes.count, bytes[index] == byte else { throw error(at: index, "expected \(what)") }
        index += 1
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// An error at byte `offset`, reported as the column of the character there (the text before it may not be ASCII).
    private func error(at offset: Int, _ reason: String) -> RFC3339Error {
        let column = String(decoding: bytes[..<min(offset, bytes.count)], as: UTF8.self).count + 1
        return RFC3339Error(text: text, column: column, reason: reason)
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
