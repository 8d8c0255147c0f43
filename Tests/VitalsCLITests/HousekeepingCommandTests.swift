import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

@Suite struct HousekeepingCommandTests {
    @Test func prunesEachKindAtItsAgeAndSaysWhat() async throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("vitals.db").path
        let store = try await SQLiteMetricStore(path: path, timeZone: .gmt, retention: .days(400))
        for started in ["2026-01-01T00:00:00Z", "2026-11-01T00:00:00Z"] {
            let at = try Timestamp(rfc3339: started)
            try await store.recordJobRun(JobRun(source: "collect", started: at, finished: at, status: .ok, samplesWritten: 0))
        }
        let result = try VitalsProcess.run(
            ["housekeeping", "--store", path, "--now", "2026-11-29T03:00:00Z", "--job-runs-age", "30d"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == "deleted 0 raw samples (older than 400d), 0 alert transitions (older than 400d), 1 job runs (older than 30d), "
                + "0 outbox messages (sent or dead over 30d ago); store checkpointed and optimized\n")
        #expect(try await store.jobRuns(source: "collect", limit: 5).count == 1)
    }

    @Test func aBadAgeIsAUsageError() throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(["housekeeping", "--job-runs-age", "90 days"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--job-runs-age: invalid duration '90 days'"), "\(result.stderr)")
    }
}
