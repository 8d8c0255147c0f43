import Foundation
import Testing
import VitalsCore
import VitalsStore
import VitalsTestSupport

/// Changing `time_zone` never silently drops history the store cannot rebuild.
@Suite struct TimeZoneChangeCommandTests {
    /// A store cut in Europe/Berlin whose raw samples retention has deleted, and a vitals.yml now naming `zone`.
    func prunedStore(changingTo zone: String) async throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let berlin = try #require(TimeZone(ianaName: "Europe/Berlin"))
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: berlin, retention: .days(30))
        let series = SeriesDescriptor(SeriesKey("git_commits", ["repo": "api"]), kind: .event, unit: .count)
        let start = try #require(RFC3339.parse("2026-03-01T18:10:00Z"))
        try await store.write((0..<10).map { Sample(series, at: start.adding(.days(Int64($0))), value: Double($0)) })
        _ = try await store.applyRetention(now: try #require(RFC3339.parse("2026-06-01T00:00:00Z")))
        _ = try folder.write("vitals.yml", "time_zone: \(zone)\nretention: 30d\n")
        return folder
    }

    @Test func aChangeThatWouldLoseDaysIsRefusedUntilTheLossIsAccepted() async throws {
        let folder = try await prunedStore(changingTo: "Asia/Kolkata")
        let refused = try VitalsProcess.run(["query", "git_commits", "--since", "7d"], in: folder.url)
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("time_zone Asia/Kolkata would lose the daily history of 11 days (2026-03-01 – 2026-03-11)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Keep time_zone: Europe/Berlin, or run once with --accept-day-loss"))
        let accepted = try VitalsProcess.run(["query", "git_commits", "--since", "7d", "--accept-day-loss"], in: folder.url)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(try VitalsProcess.run(["query", "git_commits", "--since", "7d"], in: folder.url).status == 0)
    }

    @Test func aChangeBetweenWholeHourZonesIsMadeWithoutAsking() async throws {
        let folder = try await prunedStore(changingTo: "America/New_York")
        let result = try VitalsProcess.run(["query", "git_commits", "--since", "7d"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
