import Foundation
import Testing
import VitalsCore
import VitalsTestSupport

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-25T08:00:00Z", Int64(1_795_593_600_000)),
        ("2026-11-25T09:00:00+01:00", 1_795_593_600_000),
        ("2026-11-25T08:00:00.250Z", 1_795_593_600_250),
        ("2026-11-25", 1_795_564_800_000),
        ("1970-01-01T00:00:00Z", 0),
        ("2024-02-29T23:59:59-00:30", 1_709_252_999_000),
    ])
    func parses(text: String, milliseconds: Int64) throws {
        #expect(try #require(RFC3339.parse(text)).milliseconds == milliseconds)
    }

    @Test(arguments: ["2026-13-01T00:00:00Z", "2026-11-25T25:00:00Z", "2026-11-25T08:00:00", "yesterday", "2026-11-25T08:00:00.Z", ""])
    func rejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func formatsLikeFoundation() {
        let formatter = ISO8601DateFormatter()
        for seconds in stride(from: Int64(-86_400 * 800), through: 86_400 * 40_000, by: 86_400 * 37 + 3_601) {
            let timestamp = Timestamp(seconds: seconds)
            #expect(RFC3339.format(timestamp) == formatter.string(from: timestamp.date))
            #expect(RFC3339.parse(RFC3339.format(timestamp)) == timestamp)
        }
        #expect(RFC3339.format(Timestamp(milliseconds: 1_795_593_600_250)) == "2026-11-25T08:00:00.250Z")
    }

    /// Any instant, years before 0 and past 9999 included, prints as the date's own text, then the time of day padded,
    /// milliseconds only when not zero (what `format` wrote by joining padded pieces before it wrote bytes).
    @Test(arguments: [UInt64(1), 2])
    func formatsEveryInstantAsTheDateAndThePaddedTimeOfDay(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let limits: [ClosedRange<Int64>] = [
            -1_000...1_000, -62_167_219_200_000...253_402_300_799_999, -9_000_000_000_000_000...9_000_000_000_000_000,
        ]
        for _ in 0..<5_000 {
            let milliseconds = Int64.random(in: limits.randomElement(using: &random)!, using: &random)
            let whole = Bool.random(using: &random) ? milliseconds / 1000 * 1000 : milliseconds
            let seconds = Int64((Double(whole) / 1000).rounded(.down))
            let days = Int((Double(seconds) / 86_400).rounded(.down))
            let secondOfDay = Int(seconds - Int64(days) * 86_400)
            let millisecond = Int(whole - seconds * 1000)
            let expected =
                "\(CivilDate(daysSinceEpoch: days))T\(padded(secondOfDay / 3600, 2)):\(padded(secondOfDay % 3600 / 60, 2)):\(padded(secondOfDay % 60, 2))"
                + (millisecond == 0 ? "" : ".\(padded(millisecond, 3))") + "Z"
            #expect(RFC3339.format(Timestamp(milliseconds: whole)) == expected)
        }
        #expect(RFC3339.format(Timestamp(milliseconds: -62_167_219_200_001)) == "00-1-12-31T23:59:59.999Z")
    }

    /// Each impossible field is refused with the column it starts at and the range that would be right.
    @Test(arguments: [
        ("2026-02-31", 9, "day 31 out of range 1-28 for 2026-02"),
        ("2026-02-29T00:00:00Z", 9, "day 29 out of range 1-28 for 2026-02"),
        ("2100-02-29", 9, "day 29 out of range 1-28 for 2100-02"),
        ("2026-04-31T08:00:00Z", 9, "day 31 out of range 1-30 for 2026-04"),
        ("2026-11-00", 9, "day 0 out of range 1-30 for 2026-11"),
        ("2026-00-10", 6, "month 0 out of range 1-12"),
        ("2026-13-01T00:00:00Z", 6, "month 13 out of range 1-12"),
        ("2026-11-25T24:00:00Z", 12, "hour 24 out of range 0-23"),
        ("2026-11-25T08:60:00Z", 15, "minute 60 out of range 0-59"),
        ("2026-11-25T08:00:61Z", 18, "second 61 out of range 0-59"),
        ("2016-12-31T23:59:60Z", 18, "second 60 (a leap second) cannot be a Unix time; use 59"),
        ("2026-11-25T08:00:00+24:00", 21, "offset hour 24 out of range 0-23"),
        ("2026-11-25T08:00:00+01:60", 24, "offset minute 60 out of range 0-59"),
        ("2026-11-25T08:00:00", 20, "expected 'Z' or an offset such as +01:00 after the time"),
        ("2026-11-25T08:00:00.Z", 21, "expected digits after '.'"),
        ("2026-11-25T08:00:00Zjunk", 21, "unexpected text after the time"),
        ("2026-11-25X08:00:00Z", 11, "expected 'T' between the date and the time"),
        ("2026-11-25T8:00:00Z", 13, "expected a 2-digit hour"),
        ("2026/11/25", 5, "expected '-' after the year"),
        ("2026-11-25T08:00:00+0100", 23, "expected ':' in the offset"),
        ("2026-11-25T08:00:00Zé", 21, "unexpected text after the time"),
        ("yesterday", 1, "expected an RFC 3339 time such as 2026-11-25T08:00:00Z, 2026-11-25T09:00:00+01:00 or 2026-11-25"),
        ("", 1, "expected an RFC 3339 time such as 2026-11-25T08:00:00Z, 2026-11-25T09:00:00+01:00 or 2026-11-25"),
    ])
    func refusesImpossibleFieldsWithTheirColumn(text: String, column: Int, reason: String) {
        #expect(throws: RFC3339Error(text: text, column: column, reason: reason)) { try Timestamp(rfc3339: text) }
        #expect(RFC3339.parse(text) == nil)
    }

    @Test func theMessageNamesTextReasonAndColumn() {
        #expect(throws: RFC3339Error.self) { try Timestamp(rfc3339: "2026-02-31") }
        do {
            _ = try Timestamp(rfc3339: "2026-02-31")
        } catch {
            #expect(error.description == "2026-02-31: day 31 out of range 1-28 for 2026-02 (column 9)")
        }
    }

    /// Every calendar date of 1900–2100 parses to Foundation's instant, and the day after each month's last is refused.
    @Test func everyDayOfEveryMonthAndNoOtherParses() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for year in 1900...2100 {
            for month in 1...12 {
                let length = calendar.range(of: .day, in: .month, for: calendar.date(from: DateComponents(year: year, month: month))!)!.count
                let prefix = String(format: "%04d-%02d-", year, month)
                #expect(
                    RFC3339.parse(prefix + String(format: "%02d", length))
                        == Timestamp(calendar.date(from: DateComponents(year: year, month: month, day: length))!))
                #expect(RFC3339.parse(prefix + String(format: "%02d", length + 1)) == nil, "\(prefix)\(length + 1)")
            }
        }
    }

    /// Random field values: a text parses exactly when every field is in range, and then to Foundation's instant.
    @Test func randomFieldsParseExactlyWhenInRange() throws {
        var random = SplitMix64(seed: 3339)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for _ in 0..<5_000 {
            let (year, month, day) = (
                Int.random(in: 1970...2099, using: &random), Int.random(in: 0...13, using: &random), Int.random(in: 0...32, using: &random)
            )
            let (hour, minute, second) = (
                Int.random(in: 0...25, using: &random), Int.random(in: 0...61, using: &random), Int.random(in: 0...61, using: &random)
            )
            let (offsetHour, offsetMinute) = (Int.random(in: 0...25, using: &random), Int.random(in: 0...61, using: &random))
            let sign = Bool.random(using: &random) ? 1 : -1
            let text =
                String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second) + (sign > 0 ? "+" : "-")
                + String(format: "%02d:%02d", offsetHour, offsetMinute)
            var valid = (1...12).contains(month) && hour <= 23 && minute <= 59 && second <= 59 && offsetHour <= 23 && offsetMinute <= 59
            if valid {
                let length = calendar.range(of: .day, in: .month, for: calendar.date(from: DateComponents(year: year, month: month))!)!.count
                valid = (1...length).contains(day)
            }
            let parsed = RFC3339.parse(text)
            #expect((parsed != nil) == valid, "\(text)")
            if valid, let parsed {
                let local = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
                let expected = Timestamp(local).subtracting(.seconds(Int64(sign * (offsetHour * 3600 + offsetMinute * 60))))
                #expect(parsed == expected, "\(text)")
            }
        }
    }
}
