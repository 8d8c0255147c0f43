import Foundation
import Synchronization
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// Several `vitals` processes on one store at once, as overlapping cron jobs run them.
@Suite struct StoreConcurrencyTests {
    static let pairs = 20

    /// Runs every argument list at once, each as its own process started from its own thread (not a dispatch queue, which
    /// would start only as many as there are cores), and returns their results in the same order.
    static func together(_ runs: [[String]], in directory: URL) -> [Result<VitalsProcess.Result, any Error>] {
        let results = Mutex<[Int: Result<VitalsProcess.Result, any Error>]>([:])
        let finished = DispatchGroup()
        for (index, arguments) in runs.enumerated() {
            finished.enter()
            Thread {
                let result = Result { try VitalsProcess.run(arguments, in: directory) }
                results.withLock { $0[index] = result }
                finished.leave()
            }.start()
        }
        finished.wait()
        return results.withLock { all in runs.indices.map { all[$0]! } }
    }

    static func expectAllSucceeded(_ results: [Result<VitalsProcess.Result, any Error>], _ what: String) throws {
        for result in results {
            let run = try result.get()
            #expect(run.status == 0 && run.stderr.isEmpty, "\(what): exit \(run.status): \(run.stderr)")
        }
    }

    @Test func overlappingCollectionsAllSucceedAndAllTheirRunsAreStored() async throws {
        let repository = try GitRepository(name: "api")
        try repository.write("main.c", "int main(void) { return 0; }\n")
        try repository.commit("start", at: "2026-11-01T10:00:00+00:00")
        for pair in 0..<Self.pairs {
            let day = String(format: "2026-11-%02d", pair + 2)
            let results = Self.together(
                [["collect", "git", "--now", "\(day)T08:00:00Z"], ["collect", "git", "--now", "\(day)T09:00:00Z"]], in: repository.url)
            try Self.expectAllSucceeded(results, "collect pair \(pair)")
        }
        let store = try await SQLiteMetricStore(
            path: repository.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let runs = try await store.jobRuns(source: "git", limit: 1000)
        #expect(runs.count == 2 * Self.pairs)
        #expect(runs.allSatisfy { $0.status == .ok })
    }

    @Test func overlappingAlertRoundsAllSucceedAndAllTheirRunsAreStored() async throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        _ = try folder.write(
            "rules/api.yml",
            """
            groups:
              - name: api
                interval: 1m
                rules:
                  - alert: HighErrorRate
                    expr: error_ratio > 5%
            """)
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let start = RFC3339.parse("2026-11-25T08:00:00Z")!
        try await store.write(
            (0..<60).map { Sample("error_ratio", ["service": "api"], kind: .gauge, unit: .ratio, at: start.adding(.minutes($0)), value: 0.07) })
        for pair in 0..<Self.pairs {
            let minute = String(format: "2026-11-25T08:%02d", pair * 2)
            let results = Self.together(
                [["alerts", "evaluate", "--now", "\(minute):00Z"], ["alerts", "evaluate", "--now", "\(minute):30Z"]], in: folder.url)
            try Self.expectAllSucceeded(results, "alerts evaluate pair \(pair)")
        }
        await #expect(try store.jobRuns(source: "alerts", limit: 1000).count == 2 * Self.pairs)
        await #expect(try store.jobRuns(source: "alerts", limit: 1000).allSatisfy { $0.status == .ok })
    }

    /// The first commands on a new store race to create it: each must find the schema made once, whoever made it.
    @Test func processesCreatingANewStoreAtOnceAllSucceed() async throws {
        let folder = try TemporaryFolder()
        for round in 0..<5 {
            let path = folder.url.appendingPathComponent("round\(round)/vitals.db").path
            let results = Self.together(Array(repeating: ["query", "--store", path], count: 8), in: folder.url)
            try Self.expectAllSucceeded(results, "round \(round)")
            let store = try await SQLiteMetricStore(path: path, timeZone: .gmt, retention: .days(400))
            await #expect(try store.series(named: nil).isEmpty)
        }
    }
}
