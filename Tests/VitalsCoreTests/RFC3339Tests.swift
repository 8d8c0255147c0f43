import Foundation
import Testing
import VitalsCore

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
}
