import Testing
import VitalsCore
import VitalsTestSupport

/// Whatever `RFC3339.parse` accepts prints with `RFC3339.format` as text that parses back to the same instant
/// (the `rfc3339` fuzz target's property, see docs/fuzzing.md).
@Suite struct RFC3339RoundTripTests {
    /// Found by the `rfc3339` fuzz target: offsets carried the first and last dates of 0000–9999 out of those years, and
    /// the time printed as `00-1-12-31T23:59:00Z` or `10000-01-05T04:38:59Z`, which nothing parses.
    @Test(arguments: [
        "0000-01-01T00:00:00+00:01", "0000-01-01T00:30:00+01:00", "9999-12-31T23:59:59-00:01", "9999-12-31T23:59:59-23:59",
        "9999-12-31T23:59:59-99:99",
    ])
    func timesOutsideTheYearsAFormattedTimeHasAreRefused(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test(arguments: ["0000-01-01T00:00:00Z", "0000-01-01T01:00:00+01:00", "9999-12-31T23:59:59.999Z", "9999-12-31T22:59:59-01:00"])
    func theFirstAndLastInstantsStillParse(text: String) throws {
        let time = try #require(RFC3339.parse(text))
        #expect(RFC3339.parse(RFC3339.format(time)) == time)
    }

    /// Random times over every year, offset and leap second the syntax allows, seeded so every run sees the same cases.
    @Test(arguments: [UInt64(1), 2, 3])
    func everyTimeThatParsesPrintsBackToItself(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func digits(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: width - text.count) + text
        }
        for _ in 0..<20_000 {
            let year = Bool.random(using: &random) ? Int.random(in: 0...9999, using: &random) : [0, 9999].randomElement(using: &random)!
            let month = Bool.random(using: &random) ? Int.random(in: 1...12, using: &random) : [1, 12].randomElement(using: &random)!
            let day = Int.random(in: 1...31, using: &random)
            let time = "\(digits(Int.random(in: 0...23, using: &random), 2)):\(digits(Int.random(in: 0...59, using: &random), 2))"
            let second = digits(Int.random(in: 0...60, using: &random), 2)
            let fraction = Bool.random(using: &random) ? "" : ".\(digits(Int.random(in: 0...999, using: &random), 3))"
            let offsetHours = digits(Int.random(in: 0...23, using: &random), 2)
            let offsetMinutes = digits(Int.random(in: 0...59, using: &random), 2)
            let zone = ["Z", "+\(offsetHours):\(offsetMinutes)", "-\(offsetHours):\(offsetMinutes)"].randomElement(using: &random)!
            let text = "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))T\(time):\(second)\(fraction)\(zone)"
            guard let parsed = RFC3339.parse(text) else { continue }
            let printed = RFC3339.format(parsed)
            #expect(RFC3339.parse(printed) == parsed, "\(text) printed as \(printed)")
        }
    }
}
