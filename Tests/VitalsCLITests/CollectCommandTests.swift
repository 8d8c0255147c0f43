import Foundation
import Testing
import VitalsTestSupport

/// `vitals collect` and `vitals query` against a real repository and a real store file.
@Suite struct CollectCommandTests {
    let now = "2026-11-25T12:00:00Z"

    func repository() throws -> GitRepository {
        let repository = try GitRepository(name: "api")
        try repository.write("main.c", "int main(void) { return 0; } // FIXME: exit code\n")
        try repository.commit("start", at: "2026-11-23T10:00:00+00:00")
        try repository.write("main.c", "int main(void) { return 1; }\n")
        try repository.commit("exit 1", at: "2026-11-24T10:00:00+00:00", by: .bo)
        return repository
    }

    func sources(_ output: String) throws -> [String: [String: Any]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let entries = try #require(document["sources"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: entries.map { ($0["source"] as! String, $0) })
    }

    @Test func aFailingSourceIsReportedAndTheOthersStillRun() throws {
        let repository = try repository()
        try repository.write("coverage/lcov.info", "SF:main.c\nLF:ten\n")
        let result = try VitalsProcess.run(["collect", "--format", "json", "--now", now], in: repository.url)
        #expect(result.status == 1)
        let sources = try sources(result.stdout)
        #expect(sources["git"]?["status"] as? String == "ok")
        #expect(sources["markers"]?["status"] as? String == "ok")
        #expect(sources["coverage"]?["status"] as? String == "failed")
        #expect(sources["coverage"]?["error"] as? String == "coverage: coverage/lcov.info, line 2: LF: 'ten' is not a count; expected a whole number ≥ 0")
        #expect(sources["sarif"]?["status"] as? String == "skipped")

        let up = try VitalsProcess.run(["query", "vitals_source_up", "--format", "csv", "--since", "1d", "--now", now], in: repository.url)
        #expect(
            up.stdout == #"""
                metric,labels,timestamp,value
                vitals_source_up,"source=""coverage""",2026-11-25T12:00:00Z,0
                vitals_source_up,"source=""git""",2026-11-25T12:00:00Z,1
                vitals_source_up,"source=""markers""",2026-11-25T12:00:00Z,1

                """#)
    }

    @Test func collectingTwiceStoresTheSameSamples() throws {
        let repository = try repository()
        let query = ["query", "git_commits", "--format", "csv", "--from", "2026-11-22T00:00:00Z", "--to", "2026-11-26T00:00:00Z"]
        _ = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        let first = try VitalsProcess.run(query, in: repository.url)
        _ = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        let second = try VitalsProcess.run(query, in: repository.url)
        #expect(
            first.stdout == #"""
                metric,labels,timestamp,value
                git_commits,"repo=""api"",source=""git""",2026-11-23T00:00:00Z,1
                git_commits,"repo=""api"",source=""git""",2026-11-24T00:00:00Z,1
                git_commits,"repo=""api"",source=""git""",2026-11-25T00:00:00Z,0

                """#)
        #expect(second.stdout == first.stdout)
    }

    @Test func aDryRunStoresNothing() throws {
        let repository = try repository()
        let result = try VitalsProcess.run(["collect", "velocity", "--dry-run", "--format", "json", "--now", now], in: repository.url)
        #expect(result.status == 0, "\(result.stderr)")
        let sources = try sources(result.stdout)
        #expect(Array(sources.keys) == ["git"])
        // git_commits on the 3 days from the first commit through today (the default 90d history reaches further back, to before
        // the repository began), 4 numstat metrics and 1 author series on each of 2 days.
        #expect(sources["git"]?["samples"] as? Int == 3 + 2 * 4 + 2)
        let listing = try VitalsProcess.run(["query"], in: repository.url)
        #expect(listing.stdout.hasPrefix("The store is empty: run `vitals collect` or `vitals report`.\n"))
    }

    @Test func backfillReadsOlderHistoryInOnePass() throws {
        let repository = try repository()
        try repository.write("old.txt", "old\n")
        try repository.commit("long ago", at: "2025-12-01T10:00:00+00:00")
        _ = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        let query = ["query", "git_commits", "--format", "csv", "--from", "2025-12-01T00:00:00Z", "--to", "2025-12-02T00:00:00Z"]
        #expect(try VitalsProcess.run(query, in: repository.url).stdout == "metric,labels,timestamp,value\n")
        let backfill = try VitalsProcess.run(["collect", "git", "--backfill", "365d", "--now", now], in: repository.url)
        #expect(backfill.status == 0, "\(backfill.stderr)")
        #expect(
            try VitalsProcess.run(query, in: repository.url).stdout.hasSuffix(
                #"git_commits,"repo=""api"",source=""git""",2025-12-01T00:00:00Z,1"# + "\n"))
    }

    @Test(arguments: [
        (["sentry"], "no source or family named 'sentry'"),
        (["gti"], "no source or family named 'gti' (did you mean 'git'?)"),
        (["git", "markrs", "qualty"], "no source or family named 'markrs' (did you mean 'markers'?), 'qualty' (did you mean 'quality'?)"),
    ])
    func anUnknownSourceIsAUsageErrorWithSuggestions(names: [String], message: String) throws {
        let repository = try repository()
        let result = try VitalsProcess.run(["collect"] + names, in: repository.url)
        #expect(result.status == 2)
        #expect(
            result.stderr == """
                Error: \(message); configured sources: git, coverage, sarif, markers, duplication; families: quality, stability, velocity
                Usage: vitals collect [--config <file>] [--store <path>] [--now <time>] [--accept-day-loss] [<source|family> ...] [--backfill <span>] [--dry-run] [--format <format>]
                  See 'vitals collect --help' for more information.

                """)
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [("code_marker", "code_markers"), ("git_comits", "git_commits"), ("vitals_source_upp", "vitals_source_up")])
    func anUnknownMetricIsAUsageErrorWithASuggestion(name: String, suggestion: String) throws {
        let repository = try repository()
        _ = try VitalsProcess.run(["collect", "markers", "--now", now], in: repository.url)
        let result = try VitalsProcess.run(["query", name], in: repository.url)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                "Error: unknown metric '\(name)' (did you mean '\(suggestion)'?); docs/metrics.md lists every metric, "
                    + "`vitals query` the ones in the store\nUsage: vitals query [--config <file>]"),
            "\(result.stderr)")
    }

    @Test func aKnownMetricWithoutSeriesNamesTheStoredOnes() throws {
        let repository = try repository()
        _ = try VitalsProcess.run(["collect", "markers", "--now", now], in: repository.url)
        let result = try VitalsProcess.run(["query", "git_commits"], in: repository.url)
        #expect(result.status == 1)
        #expect(result.stderr == "vitals: no series named git_commits; metrics in the store: code_markers, vitals_source_up\n")
    }
}
