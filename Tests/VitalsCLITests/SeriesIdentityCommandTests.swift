import Foundation
import Testing
import VitalsCore
import VitalsStore
import VitalsTestSupport

/// The `repo` and `source` labels and skipped sources, through the built binary on real repositories and store files.
@Suite struct SeriesIdentityCommandTests {
    static let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func repository(name: String = "shop") throws -> GitRepository {
        let repository = try GitRepository(name: name)
        try repository.write("main.c", "int main(void) { return 0; } // TODO: exit code\n")
        try repository.commit("start", at: "2026-11-24T10:00:00+00:00")
        return repository
    }

    func hour(_ hour: Int) -> String { "2026-11-25T\(hour < 10 ? "0" : "")\(hour):00:00Z" }

    /// A healthy repository with no coverage, SARIF or duplication report: every collection succeeds, and the starter `SourceFailing` rule
    /// stays quiet however long it runs (it fired after two hours when those sources counted as failing).
    @Test func aRepositoryWithoutCoverageOrSarifFilesIsHealthy() throws {
        let repository = try repository()
        try FileManager.default.createDirectory(at: repository.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.project.appendingPathComponent("rules/sources.yml"), to: repository.url.appendingPathComponent("rules/sources.yml"))

        let first = try VitalsProcess.run(["collect", "--now", hour(8)], in: repository.url)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix("coverage     skipped  ")
                    && $0.hasSuffix(
                        "no coverage file found under \(repository.url.path); "
                            + "searched .build/debug/codecov/*.json, coverage/lcov.info, coverage.xml")
            })
        #expect(lines.contains { $0.hasPrefix("sarif        skipped  ") && $0.contains("no input: no SARIF file found") })
        #expect(lines.contains { $0.hasPrefix("duplication  skipped  ") && $0.contains("no input: no jscpd or PMD CPD file found") })
        #expect(lines.last?.hasPrefix("5 sources, 0 failed, 3 skipped, ") == true)
        for hour in 8...11 {
            if hour > 8 { #expect(try VitalsProcess.run(["collect", "--now", self.hour(hour)], in: repository.url).status == 0) }
            let round = try VitalsProcess.run(["alerts", "evaluate", "--now", self.hour(hour)], in: repository.url)
            #expect(round.status == 0, "\(round.stderr)")
            #expect(round.stdout.hasSuffix("no transitions\n"), "\(round.stdout)")
        }

        let up = try VitalsProcess.run(["query", "vitals_source_up", "--format", "csv", "--from", hour(11), "--to", hour(12)], in: repository.url)
        #expect(
            up.stdout == "metric,labels,timestamp,value\n"
                + ["git", "markers"].map { #"vitals_source_up,"source=""\#($0)""",2026-11-25T11:00:00Z,1"# + "\n" }.joined())
        let report = try VitalsProcess.run(["report", "--no-collect", "--now", hour(11)], in: repository.url)
        #expect(report.stdout.contains("| coverage | coverage | 2026-11-25 11:00 | skipped | 0 | no input: no coverage file found under "))
        let json = try VitalsProcess.run(["collect", "quality", "--format", "json", "--now", hour(12)], in: repository.url)
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""status" : "skipped""#))
    }

    /// When the configuration names the files, a missing one is still a failure.
    @Test func aConfiguredFileThatIsMissingFailsTheSource() throws {
        let repository = try repository()
        try repository.write("vitals.yml", "sources:\n  - type: coverage\n    paths: coverage/lcov.info\n")
        let result = try VitalsProcess.run(["collect", "--now", hour(8)], in: repository.url)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("coverage  FAILED   "))
        #expect(result.stdout.contains("coverage: no coverage file found under \(repository.url.path); searched coverage/lcov.info\n"))
        let up = try VitalsProcess.run(["query", "vitals_source_up", "--format", "csv", "--now", hour(8)], in: repository.url)
        #expect(up.stdout.hasSuffix(#"vitals_source_up,"source=""coverage""",2026-11-25T08:00:00Z,0"# + "\n"))
    }

    /// A checkout in a folder named `main`: labelled `main` until it has an `origin`, then the remote's name, then the `repo:`
    /// option's; each change carries the stored history along.
    @Test func theRepoLabelFollowsTheOriginRemoteAndTheRepoOption() throws {
        let repository = try repository(name: "main")
        let query = ["query", "code_markers", "--labels", "kind=todo", "--format", "csv", "--since", "1d", "--now", hour(11)]
        #expect(try VitalsProcess.run(["collect", "markers", "--now", hour(8)], in: repository.url).status == 0)
        #expect(try VitalsProcess.run(query, in: repository.url).stdout.contains(#""kind=""todo"",repo=""main"",source=""markers""""#))

        try repository.git("remote", "add", "origin", "https://github.com/acme/shop.git")
        #expect(try VitalsProcess.run(["collect", "markers", "--now", hour(9)], in: repository.url).status == 0)
        #expect(
            try VitalsProcess.run(query, in: repository.url).stdout == #"""
                metric,labels,timestamp,value
                code_markers,"kind=""todo"",repo=""acme/shop"",source=""markers""",2026-11-25T08:00:00Z,1
                code_markers,"kind=""todo"",repo=""acme/shop"",source=""markers""",2026-11-25T09:00:00Z,1

                """#)

        try repository.write("vitals.yml", "sources:\n  - type: markers\n    repo: shop-eu\n")
        #expect(try VitalsProcess.run(["collect", "markers", "--now", hour(10)], in: repository.url).status == 0)
        let relabelled = try VitalsProcess.run(query, in: repository.url).stdout
        #expect(relabelled.split(separator: "\n").dropFirst().map { $0.contains(#"repo=""shop-eu"""#) } == [true, true, true])
    }

    /// A store written before samples carried `source`: the first collection gives its series to the source, so the report
    /// still has one row per metric and repository, with the old history in it.
    @Test func seriesFromBeforeTheSourceLabelJoinTheirSource() async throws {
        let repository = try repository()
        let store = try await SQLiteMetricStore(
            path: repository.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let before = RFC3339.parse("2026-11-20T09:00:00Z")!
        try await store.write([
            Sample("code_markers", ["repo": "shop", "kind": "todo"], kind: .gauge, at: before, value: 5),
            Sample("coverage_lines_ratio", ["repo": "shop"], kind: .gauge, unit: .ratio, at: before, value: 0.5),
        ])

        let result = try VitalsProcess.run(["report", "--format", "json", "--now", hour(12)], in: repository.url)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sections = try #require(report["sections"] as? [[String: Any]])
        let quality = try #require(sections.first { $0["family"] as? String == "quality" }?["rows"] as? [[String: Any]])
        let todo = quality.filter { $0["metric"] as? String == "code_markers" && ($0["labels"] as? [String: String])?["kind"] == "todo" }
        #expect(todo.count == 1)
        #expect(todo.first?["labels"] as? [String: String] == ["repo": "shop", "source": "markers", "kind": "todo"])
        #expect((todo.first?["daily"] as? [Any])?.compactMap { $0 as? Double } == [5, 1])
        // The coverage source found no file (skipped), yet its series from before the label joined it too.
        let coverage = quality.filter { $0["metric"] as? String == "coverage_lines_ratio" }
        #expect(coverage.map { $0["labels"] as? [String: String] } == [["repo": "shop", "source": "coverage"]])
    }
}
