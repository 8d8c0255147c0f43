import Testing
import VitalsCore

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
}
