import Testing
import VitalsCore
import VitalsTestSupport

@Suite struct TimeSpanTests {
    @Test(arguments: [
        ("30s", 30_000, false), ("5m", 300_000, false), ("2h", 7_200_000, false), ("7d", 604_800_000, true),
        ("1w", 604_800_000, true), ("1h30m", 5_400_000, false), ("250ms", 250, false), ("1w2d", 777_600_000, true),
        ("1y", 31_536_000_000, false),
    ])
    func parsesPrometheusDurations(text: String, milliseconds: Int64, calendar: Bool) throws {
        let span = try TimeSpan(parsing: text)
        #expect(span.milliseconds == milliseconds)
        #expect(span.isCalendarDays == calendar)
    }

    @Test(arguments: [
        ("7x", "invalid duration '7x': unknown unit 'x'; accepted units: ms, s, m, h, d, w, y"),
        ("7", "invalid duration '7': '7' has no unit; accepted units: ms, s, m, h, d, w, y"),
        ("", "invalid duration '': a duration is empty"),
        ("d", "invalid duration 'd': expected a whole number before a unit, as in 30s, 5m, 2h, 7d"),
        ("30m1h", "invalid duration '30m1h': units must go from largest to smallest, each once (as in 1h30m)"),
        ("1.5h", "invalid duration '1.5h': '1' has no unit; accepted units: ms, s, m, h, d, w, y"),
    ])
    func rejectsWithTheAcceptedUnits(text: String, message: String) {
        #expect(throws: TimeSpanError.self) { try TimeSpan(parsing: text) }
        do {
            _ = try TimeSpan(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(arguments: ["30s", "1h30m", "7d", "10d", "250ms", "1d2h3m4s5ms"])
    func printsWhatItParses(text: String) throws {
        #expect(try TimeSpan(parsing: text).description == text)
    }

    static let tooLong = "longer than 10000y, the longest duration accepted"

    @Test(arguments: [
        "99999999999999999999d", "9223372036854775807ms", "9223372036854775807s", "10001y", "10000y1ms", "9999y53w",
        "1000000000000000000000000000000s", "106751991167d",
    ])
    func aDurationLongerThanTheLongestIsRefusedNotOverflowed(text: String) {
        let error = #expect(throws: TimeSpanError.self) { try TimeSpan(parsing: text) }
        #expect(error?.description == "invalid duration '\(text)': \(Self.tooLong)")
    }

    @Test func theLongestDurationParsesAndLeavesRoomForAnyTime() throws {
        #expect(try TimeSpan(parsing: "10000y") == TimeSpan.longest)
        #expect(try TimeSpan(parsing: "00000000000000000000000007d").milliseconds == 7 * 86_400_000)
        // RFC 3339 times lie in years 0000-9999: any of them plus or minus the longest duration is still representable.
        let latest = try #require(RFC3339.parse("9999-12-31T23:59:59.999Z"))
        let earliest = try #require(RFC3339.parse("0000-01-01T00:00:00Z"))
        #expect(latest.milliseconds.addingReportingOverflow(TimeSpan.longest.milliseconds).overflow == false)
        #expect(earliest.milliseconds.subtractingReportingOverflow(TimeSpan.longest.milliseconds).overflow == false)
    }

    /// Random digit runs and units: parsing never traps, and whatever parses is within the longest duration.
    @Test func randomDurationsNeverTrap() {
        var random = SplitMix64(seed: 0x7157_A11)
        let units = TimeSpan.units.map(\.suffix)
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                text += String((0..<Int.random(in: 1...30, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
                text += units.randomElement(using: &random)!
            }
            if let span = try? TimeSpan(parsing: text) {
                #expect(span.milliseconds >= 0 && span <= TimeSpan.longest, "\(text)")
            }
        }
    }
}
