import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

@Suite struct JobRunTests {
    static func run(_ source: String, startedAt minute: Int64, _ status: JobRun.Status, error: String? = nil) -> JobRun {
        let started = time("2026-03-02T08:00:00Z").adding(.minutes(minute))
        return JobRun(
            source: source, started: started, finished: started.adding(.seconds(5)), status: status, error: error, samplesWritten: Int(minute))
    }

    static let runs = [
        run("git", startedAt: 0, .ok),
        run("sarif", startedAt: 1, .failed, error: "reports/app.sarif: line 3, column 9: expected '\"'"),
        run("git", startedAt: 60, .failed, error: "git exited with status 128"),
        run("git", startedAt: 30, .ok),
    ]

    @Test(arguments: StoreKind.allCases)
    func runsComeBackNewestFirst(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for run in Self.runs { try await store.recordJobRun(run) }
            #expect(try await store.jobRuns(source: "git", limit: 10) == [Self.runs[2], Self.runs[3], Self.runs[0]])
            #expect(try await store.jobRuns(source: nil, limit: 2) == [Self.runs[2], Self.runs[3]])
            #expect(try await store.jobRuns(source: "sarif", limit: 10) == [Self.runs[1]])
            #expect(try await store.jobRuns(source: "coverage", limit: 10).isEmpty)
            #expect(try await store.lastSuccessfulRun(source: "git") == Self.runs[3])
            #expect(try await store.lastSuccessfulRun(source: "sarif") == nil)
        }
    }
}
