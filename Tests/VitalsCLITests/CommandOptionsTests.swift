import Foundation
import Testing
import VitalsTestSupport

/// What every command accepts, and what `query` answers for the metric the report derives.
@Suite struct CommandOptionsTests {
    static let commands: [[String]] = [
        ["report"], ["collect"], ["query"], ["rules", "check"], ["rules", "test"], ["alerts", "evaluate"], ["alerts", "list"],
        ["alerts", "history"], ["alerts", "silence"], ["alerts", "silences"], ["alerts", "unsilence"],
    ]

    @Test(arguments: commands)
    func everyCommandAcceptsConfigAndStore(command: [String]) throws {
        let folder = try TemporaryFolder()
        let help = try VitalsProcess.run(command + ["--help"], in: folder.url)
        #expect(help.status == 0)
        #expect(help.stdout.contains("--config <file>"), "\(help.stdout)")
        #expect(help.stdout.contains("--store <path>"), "\(help.stdout)")
    }

    @Test func ruleTestsAcceptTheOptionsEveryCommandTakes() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("rules.yml", "groups:\n  - name: g\n    rules:\n      - record: twice\n        expr: up * 2\n")
        _ = try folder.write(
            "test.yml",
            """
            rule_files: [rules.yml]
            tests:
              - input_series:
                  - series: up
                    values: 1x3
                promql_expr_test:
                  - expr: twice
                    eval_time: 1m
                    exp_samples:
                      - labels: twice
                        value: 2

            """)
        _ = try folder.write("vitals.yml", "time_zone: UTC\n")
        let result = try VitalsProcess.run(
            ["rules", "test", "--config", "vitals.yml", "--store", "other.db", "--now", "2026-11-25T00:00:00Z", "test.yml"], in: folder.url)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "Unit Testing:  test.yml\n  SUCCESS\n\n")
    }

    let now = "2026-11-25T12:00:00Z"

    func repository() throws -> GitRepository {
        let repository = try GitRepository(name: "api")
        try repository.write("a.txt", "1\n")
        try repository.commit("one", at: "2026-11-23T10:00:00+00:00", by: .ana)
        try repository.write("a.txt", "2\n")
        try repository.commit("two", at: "2026-11-24T09:00:00+00:00", by: .bo)
        try repository.write("a.txt", "3\n")
        try repository.commit("three", at: "2026-11-24T11:00:00+00:00", by: .ana)
        try repository.write("a.txt", "4\n")
        try repository.commit("four", at: "2026-11-25T08:00:00+00:00", by: .ana)
        return repository
    }

    @Test func gitAuthorsIsAnsweredAsTheReportCountsIt() throws {
        let repository = try repository()
        _ = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        let query = try VitalsProcess.run(["query", "git_authors", "--since", "7d", "--now", now, "--format", "csv"], in: repository.url)
        #expect(query.status == 0, "\(query.stderr)")
        #expect(
            query.stdout == #"""
                metric,labels,timestamp,value
                git_authors,"repo=""api"",source=""git""",2026-11-23T00:00:00Z,1
                git_authors,"repo=""api"",source=""git""",2026-11-24T00:00:00Z,2
                git_authors,"repo=""api"",source=""git""",2026-11-25T00:00:00Z,1
                git_authors,"repo=""api"",source=""git""",2026-11-19T00:00:00Z/2026-11-26T00:00:00Z,2

                """#)

        // The same numbers as the report's row: its value and its daily trend.
        let report = try VitalsProcess.run(["report", "--no-collect", "--since", "7d", "--now", now, "--format", "json"], in: repository.url)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let rows = (document["sections"] as? [[String: Any]] ?? []).flatMap { $0["rows"] as? [[String: Any]] ?? [] }
        let row = try #require(rows.first { $0["metric"] as? String == "git_authors" })
        let json = try VitalsProcess.run(["query", "git_authors", "--since", "7d", "--now", now, "--format", "json"], in: repository.url)
        let series = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(series.count == 1)
        #expect((series.first?["period"] as? [String: Any])?["value"] as? Double == row["value"] as? Double)
        // Days before the git history began (2026-11-23) are no data in both: null in the report, no sample in the query.
        #expect(
            (series.first?["samples"] as? [[String: Any]])?.map { $0["value"] as? Double }
                == (row["daily"] as? [Any])?.compactMap { $0 as? Double })
        #expect((row["daily"] as? [Any])?.prefix(4).allSatisfy { $0 is NSNull } == true)
    }

    @Test func gitAuthorsTakesALabelFilter() throws {
        let repository = try repository()
        _ = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        let other = try VitalsProcess.run(["query", "git_authors", "--labels", "repo=web", "--now", now], in: repository.url)
        #expect(other.status == 1)
        #expect(other.stderr.hasPrefix("vitals: no series named git_authors with labels {repo=\"web\"}; metrics in the store: "))
        let own = try VitalsProcess.run(["query", "git_authors", "--labels", "repo=api", "--since", "1d", "--now", now], in: repository.url)
        #expect(
            own.stdout == """
                SERIES                                TIME                                       VALUE
                git_authors{repo="api",source="git"}  2026-11-25T00:00:00Z                       1
                git_authors{repo="api",source="git"}  2026-11-25T00:00:00Z/2026-11-26T00:00:00Z  1

                """)
    }
}
