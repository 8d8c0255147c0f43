import Foundation
import Testing
import VitalsCore
import VitalsStore
import VitalsTestSupport

/// `vitals report NAME --send` counts how many consecutive reports each "what to look at" item has been in, in the store,
/// so separate processes (a daemon restarted between reports, cron) count on.
@Suite(.timeLimit(.minutes(2))) struct LookAtTaskCommandTests {
    @Test func eachProcessCountsOnFromThePreviousReportOncePerPeriod() async throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "channels:\n  log: {type: file, path: sent.jsonl}\n")
        let store = try await SQLiteMetricStore(
            path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let samples = (10...28).map { day in
            Sample(
                "coverage_lines_ratio", ["repo": "acme/shop"], kind: .gauge, unit: .ratio, at: RFC3339.parse("2026-11-\(day)T12:00:00Z")!, value: 0.4)
        }
        _ = try await store.write(samples)
        for arguments in [
            ["--now", "2026-11-26T09:00:00Z"], ["--now", "2026-11-27T09:00:00Z"], ["--now", "2026-11-28T09:00:00Z"],
            ["--now", "2026-11-28T10:00:00Z", "--force"], ["--now", "2026-11-29T09:00:00Z"],
        ] {
            let result = try VitalsProcess.run(["report", "daily", "--no-collect", "--send", "log"] + arguments, in: folder.url)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let lines = try String(contentsOf: folder.url.appendingPathComponent("sent.jsonl"), encoding: .utf8).split(separator: "\n")
        let counts = try lines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let bodies = try #require((object["report"] as? [String: Any])?["bodies"] as? [String: String])
            let tasks = try #require(bodies["look_at_tasks"].flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            let items = try #require(tasks["items"] as? [[String: Any]])
            let coverage = try #require(items.first { $0["fingerprint"] as? String == #"look_at/coverage_lines_ratio{repo="acme/shop"}"# })
            return coverage["reports"] as? Int
        }
        #expect(counts == [1, 2, 3, 3, 4], "the forced second send of 2026-11-27 counts nothing again")
    }
}
