import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

/// What every ``JobRunLog`` backend does, against the protocol only.
enum JobRunLogContract {
    static let start = RFC3339.parse("2026-11-25T08:00:00Z")!

    static func run(_ source: String, minutes: Int64, _ status: JobRun.Status = .ok, scheduled: Int64? = nil, written: Int = 1) -> JobRun {
        JobRun(
            source: source, scheduled: scheduled.map { start.adding(.minutes($0)) }, started: start.adding(.minutes(minutes)),
            finished: start.adding(.minutes(minutes + 1)), status: status, error: status == .failed ? "boom" : nil, samplesWritten: written)
    }

    static func checkAll(_ make: () async throws -> any JobRunLog) async throws {
        try await newestFirstLimitedAndWhole(make())
    }

    /// Newest start first, runs of one start in the order recorded (newest first), limited, per source or all; every field
    /// comes back as recorded, the scheduled time included.
    static func newestFirstLimitedAndWhole(_ log: any JobRunLog) async throws {
        #expect(try await log.jobRuns(source: nil, limit: 10).isEmpty)
        let runs = [
            run("git", minutes: 10, scheduled: 10), run("sarif", minutes: 5, .failed), run("git", minutes: 0, .skipped),
            run("git", minutes: 10, written: 2), run("alerts", minutes: 20, scheduled: 15),
        ]
        for run in runs { try await log.recordJobRun(run) }
        #expect(try await log.jobRuns(source: nil, limit: 10) == [runs[4], runs[3], runs[0], runs[1], runs[2]])
        #expect(try await log.jobRuns(source: "git", limit: 2) == [runs[3], runs[0]])
        #expect(try await log.jobRuns(source: "git", limit: 10).last?.status == .skipped)
        #expect(try await log.jobRuns(source: "alerts", limit: 1).first?.scheduled == start.adding(.minutes(15)))
        #expect(try await log.jobRuns(source: "none", limit: 10).isEmpty)
        // A command's standard error quoted in an error may hold NUL, which every store keeps as U+FFFD.
        let quoted = JobRun(
            source: "cmd", scheduled: nil, started: start, finished: start, status: .failed, error: "exited with status 1; standard error: \u{0}x",
            samplesWritten: 0)
        try await log.recordJobRun(quoted)
        #expect(try await log.jobRuns(source: "cmd", limit: 1).first?.error == "exited with status 1; standard error: \u{FFFD}x")
    }
}

/// What every ``SourceStateStore`` backend does, against the protocol only.
enum SourceStateStoreContract {
    static func checkAll(_ make: () async throws -> any SourceStateStore) async throws {
        try await roundTrip(make())
        try await updatesAndPrefixes(make())
    }

    /// An update sets and forgets only the keys it names; a key read returns that key's value only; a prefix read returns
    /// exactly the keys that start with it, taken literally (`%` and `_` are no wildcards, case counts).
    static func updatesAndPrefixes(_ store: any SourceStateStore) async throws {
        try await store.setSourceState(["repo": "acme/shop", "collect.run": "1"], of: "github")
        try await store.updateSourceState(["collect.page./a?x=1": "A", "collect.page./b": "B", "collect.run": nil], of: "github")
        try await store.updateSourceState(["collect.page./a?x=1": "A2", "collect.%": "wild"], of: "github")
        try await store.updateSourceState([:], of: "github")
        #expect(
            try await store.sourceState(of: "github")
                == ["repo": "acme/shop", "collect.page./a?x=1": "A2", "collect.page./b": "B", "collect.%": "wild"])
        #expect(
            try await store.sourceState(of: "github", keysStartingWith: "collect.page.") == ["collect.page./a?x=1": "A2", "collect.page./b": "B"])
        #expect(try await store.sourceState(of: "github", keysStartingWith: "collect.%") == ["collect.%": "wild"])
        #expect(try await store.sourceState(of: "github", keysStartingWith: "COLLECT.").isEmpty)
        #expect(try await store.sourceState(of: "github", keysStartingWith: "").count == 4)
        #expect(try await store.sourceState(of: "sentry", keysStartingWith: "").isEmpty)
        #expect(try await store.sourceState(of: "github", key: "collect.page./b") == "B")
        #expect(try await store.sourceState(of: "github", key: "collect.page.") == nil)
        #expect(try await store.sourceState(of: "github", key: "collect.run") == nil)
    }

    /// Empty for a source never recorded; a set replaces the whole state, per source.
    static func roundTrip(_ store: any SourceStateStore) async throws {
        #expect(try await store.sourceState(of: "git").isEmpty)
        try await store.setSourceState(["repo": "acme/shop", "repo_folder": "/work/shop"], of: "git")
        try await store.setSourceState(["series_adopted": "yes"], of: "coverage")
        #expect(try await store.sourceState(of: "git") == ["repo": "acme/shop", "repo_folder": "/work/shop"])
        try await store.setSourceState(["repo": "acme/web"], of: "git")
        #expect(try await store.sourceState(of: "git") == ["repo": "acme/web"])
        #expect(try await store.sourceState(of: "coverage") == ["series_adopted": "yes"])
        try await store.setSourceState([:], of: "git")
        #expect(try await store.sourceState(of: "git").isEmpty)
    }
}

@Suite struct JobRunAndSourceStateContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheJobRunLogContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any JobRunLog).self) { make in try await JobRunLogContract.checkAll { try await make() } }
    }

    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheSourceStateContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any SourceStateStore).self) { make in
            try await SourceStateStoreContract.checkAll { try await make() }
        }
    }
}
