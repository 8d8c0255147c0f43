import Foundation
import Testing
import VitalsTestSupport

/// `vitals report` run as a user runs it: in a real git repository, with no configuration.
@Suite struct ReportCommandTests {
    let now = "2026-11-25T12:00:00Z"

    /// Four commits by two authors inside the last 7 days, one in the week before, one long ago.
    func repository() throws -> GitRepository {
        let repository = try GitRepository(name: "shop")
        try repository.write("README.md", "# shop\n")
        try repository.commit("old", at: "2026-06-01T10:00:00+00:00")
        try repository.write("a.txt", "one\ntwo\n")
        try repository.commit("previous week", at: "2026-11-14T10:00:00+00:00")
        try repository.write("a.txt", "one\ntwo\nthree\n")
        try repository.commit("first", at: "2026-11-20T09:00:00+00:00")
        try repository.write("b.swift", "// TODO: split\nlet b = 1\n")
        try repository.commit("second", at: "2026-11-20T15:00:00+00:00", by: .bo)
        try repository.write("a.txt", "one\n")
        try repository.commit("third", at: "2026-11-24T08:00:00+00:00")
        try repository.write("c.txt", "c\n")
        try repository.commit("fourth", at: "2026-11-25T11:00:00+00:00", by: .bo)
        return repository
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func row(_ report: [String: Any], _ metric: String, family: String) throws -> [String: Any] {
        let sections = try #require(report["sections"] as? [[String: Any]])
        let section = try #require(sections.first { $0["family"] as? String == family })
        let rows = try #require(section["rows"] as? [[String: Any]])
        return try #require(rows.first { $0["metric"] as? String == metric }, "no \(metric) row in \(rows.map { $0["metric"] ?? "" })")
    }

    @Test func theQuickStartReportsOnTheRepositoryItStandsIn() throws {
        let repository = try repository()
        let result = try VitalsProcess.run(["report", "--since", "7d", "--format", "json", "--now", now], in: repository.url)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["schema_version"] as? Int == 4)
        #expect((report["period"] as? [String: String]) == ["from": "2026-11-19T00:00:00Z", "to": "2026-11-26T00:00:00Z"])

        let commits = try row(report, "git_commits", family: "velocity")
        #expect(commits["value"] as? Double == 4)
        #expect(commits["previous"] as? Double == 1)
        #expect(commits["daily"] as? [Double] == [0, 2, 0, 0, 0, 1, 1])
        #expect(commits["sparkline"] as? String == "▁█▁▁▁▅▅")
        #expect(try row(report, "git_authors", family: "velocity")["value"] as? Double == 2)
        #expect(try row(report, "git_lines_added", family: "velocity")["value"] as? Double == 1 + 2 + 0 + 1)

        let markers = try row(report, "code_markers", family: "quality")
        #expect(markers["status"] as? String == "ok")

        let sources = try #require(report["sources"] as? [[String: Any]])
        let coverage = try #require(sources.first { $0["name"] as? String == "coverage" })
        #expect(coverage["status"] as? String == "skipped")
        #expect((coverage["error"] as? String)?.hasPrefix("no input: no coverage file found") == true)
        #expect(FileManager.default.fileExists(atPath: repository.url.appendingPathComponent(".vitals/vitals.db").path))
    }

    @Test func markdownIsTheDefaultAndCanGoToAFile() throws {
        let repository = try repository()
        let result = try VitalsProcess.run(["report", "--now", now, "--output", "health.md"], in: repository.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let text = try String(contentsOf: repository.url.appendingPathComponent("health.md"), encoding: .utf8)
        #expect(text.hasPrefix("# Project health: 2026-11-19 – 2026-11-25\n"))
        #expect(text.contains("## Velocity"))
        #expect(text.contains("| Commits | 4 | 1 | +3 (+300.0%) | `▁█▁▁▁▅▅` |"))
    }

    @Test func aSecondReportDoesNotCollectAgainWithinTheInterval() throws {
        let repository = try repository()
        _ = try VitalsProcess.run(["report", "--now", now], in: repository.url)
        _ = try VitalsProcess.run(["report", "--now", "2026-11-25T12:30:00Z"], in: repository.url)
        let runs = try VitalsProcess.run(["query", "--runs", "--format", "csv"], in: repository.url)
        let gitRuns = runs.stdout.split(separator: "\n").filter { $0.hasPrefix("git,") }
        #expect(gitRuns == ["git,2026-11-25T12:00:00Z,ok,112,"])
    }

    /// `vitals report --since 365d` over a repository whose history began on 2026-08-03 and whose last commit was on
    /// 2026-08-19: the unnamed report says how much of the year the store covers and when the last commit was, days before
    /// the history are no data (never 0) on every git row alike, and the trend is in two-week buckets, not 365 cells.
    @Test func aYearOverAShorterHistorySaysHowMuchItCovers() throws {
        let repository = try GitRepository(name: "shop")
        try repository.write("a.txt", "one\n")
        try repository.commit("first", at: "2026-08-03T10:00:00+00:00")
        try repository.write("a.txt", "one\ntwo\n")
        try repository.commit("second", at: "2026-08-19T10:00:00+00:00", by: .bo)
        let collected = try VitalsProcess.run(["collect", "git", "--backfill", "365d", "--now", now], in: repository.url)
        #expect(collected.status == 0, "\(collected.stderr)")

        let result = try VitalsProcess.run(["report", "--since", "365d", "--no-collect", "--format", "json", "--now", now], in: repository.url)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["schema_version"] as? Int == 4)
        #expect(report["trend_bucket_days"] as? Int == 14)
        let commits = try row(report, "git_commits", family: "velocity")
        #expect(commits["value"] as? Double == 2)
        let history = try #require(commits["history"] as? [String: Any])
        #expect(history["from"] as? String == "2026-08-03T00:00:00Z")
        #expect(history["days_covered"] as? Int == 115 && history["days_in_period"] as? Int == 365 && history["complete"] as? Bool == false)
        #expect(commits["last_event_at"] as? String == "2026-08-19T00:00:00Z")
        let daily = try #require(commits["daily"] as? [Any])
        #expect(daily.count == 365)
        // The 250 days before the history began have no data; every day of it has a number, 0 on days without commits.
        let missing = daily.map { $0 is NSNull }
        #expect(missing == Array(repeating: true, count: 250) + Array(repeating: false, count: 115))
        for metric in ["git_authors", "git_lines_added", "git_merges"] {
            let sibling = try row(report, metric, family: "velocity")
            #expect((sibling["daily"] as? [Any])?.map { $0 is NSNull } == missing, "\(metric)")
            #expect((sibling["history"] as? [String: Any])?["days_covered"] as? Int == 115, "\(metric)")
        }
        let trend = try #require(commits["trend"] as? [Any])
        #expect(trend.count == 27)
        // Buckets 0–16 lie wholly before 2026-08-03 (day 250 of the period): no data, not 0.
        #expect(trend.prefix(17).allSatisfy { $0 is NSNull } && trend.dropFirst(17).allSatisfy { !($0 is NSNull) })
        for section in try #require(report["sections"] as? [[String: Any]]) {
            for row in try #require(section["rows"] as? [[String: Any]]) {
                #expect(((row["sparkline"] as? String)?.count ?? 99) <= 30, "\(row["metric"] ?? "")")
            }
        }

        let markdown = try VitalsProcess.run(["report", "--since", "365d", "--no-collect", "--now", now], in: repository.url).stdout
        #expect(markdown.contains("| Metric | Now | Previous | Change | Trend (per 2 weeks) | Notes |"))
        #expect(
            markdown.contains("| Commits | 2 | – | – | `"),
            "\(markdown)")
        #expect(markdown.contains("partial: history from 2026-08-03: 115 of 365 days; last commit 2026-08-19 (98 days ago) |"), "\(markdown)")
        let sparklines = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }.compactMap { line in
            line.split(separator: "`", omittingEmptySubsequences: false).dropFirst().first
        }
        #expect(!sparklines.isEmpty && sparklines.allSatisfy { $0.count <= 30 }, "\(sparklines)")
    }

    @Test(arguments: [
        (["report", "--since", "7x"], "Error: invalid duration '7x': unknown unit 'x'; accepted units: ms, s, m, h, d, w, y"),
        (["report", "--format", "pdf"], "Error: unknown report format 'pdf'; allowed: md, json, slack, html"),
        (["report", "--since", "7d", "--from", "2026-11-01T00:00:00Z"], "Error: use either --since or --from/--to, not both"),
        (
            ["report", "--from", "yesterday"],
            "Error: --from: yesterday: expected an RFC 3339 time such as 2026-11-25T08:00:00Z, 2026-11-25T09:00:00+01:00 or 2026-11-25 (column 1)"
        ),
        (["report", "--from", "2026-02-31"], "Error: --from: 2026-02-31: day 31 out of range 1-28 for 2026-02 (column 9)"),
        (["report", "--from", "2026-02-01", "--to", "2026-02-30"], "Error: --to: 2026-02-30: day 30 out of range 1-28 for 2026-02 (column 9)"),
        (["report", "--now", "2026-11-25T24:00:00Z"], "Error: --now: 2026-11-25T24:00:00Z: hour 24 out of range 0-23 (column 12)"),
        (["report", "--now", "2026-11-25"], nil),
        (["report", "--format", "html"], "Error: --format html needs a report name, such as: vitals report daily --format html"),
        (["report", "daily", "--since", "7d"], "Error: a named report takes its period from its definition; leave out --since and --from"),
    ])
    func usageErrorsExitTwoAndSayWhatIsAccepted(arguments: [String], message: String?) throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(arguments, in: folder.url)
        if let message {
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
        } else {
            // A date alone is a valid RFC 3339 time: midnight UTC. Outside a repository, git fails but the command still reports.
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func aMalformedConfigurationIsReportedWithItsPosition() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "time_zone: UTC\ntimezon: Europe/Berlin\n")
        let result = try VitalsProcess.run(["report"], in: folder.url)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "vitals.yml:2:1: unknown key 'timezon' in the top level; allowed: time_zone, store, retention, rules, reports, reports_dir, sources, channels, routing, mute_windows (did you mean 'time_zone'?)\n"
        )
        #expect(result.stdout.isEmpty)
    }

    @Test func aNamedReportRendersItsDefinitionAndIsArchived() throws {
        let repository = try repository()
        let result = try VitalsProcess.run(["report", "weekly", "--now", now], in: repository.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# Weekly digest: 2026-11-16 – 2026-11-22\n"))
        // Two commits in the week, below the warn mark of three: bad, 50 · 2/3. The trend covers the 28 days up to the
        // week's end (the commit of 2026-11-14 and the two of 2026-11-20); the last commit is after the week.
        #expect(
            result.stdout.contains("| Commits | 2 | +1 (+100.0%) | `▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▅▁▁▁▁▁█▁▁` | bad · 33 | last commit 2026-11-25 (today) |"),
            "\(result.stdout)")
        #expect(result.stdout.contains("## Alerts"))
        let archived = repository.url.appendingPathComponent(".vitals/reports/2026-11-25-weekly.md")
        #expect(try String(contentsOf: archived, encoding: .utf8) == result.stdout)
        for format in ["json", "slack", "html"] {
            let other = try VitalsProcess.run(["report", "weekly", "--now", now, "--no-collect", "--format", format], in: repository.url)
            #expect(other.status == 0, "\(other.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: repository.url.appendingPathComponent(".vitals/reports").path).sorted()
        #expect(files == ["2026-11-25-weekly.html", "2026-11-25-weekly.json", "2026-11-25-weekly.md", "2026-11-25-weekly.slack.json"])
    }

    @Test func aDefinitionInTheReportsFolderWinsAndItsMistakesArePositioned() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "time_zone: UTC\nsources: []\n")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("reports"), withIntermediateDirectories: true)
        _ = try folder.write("reports/daily.yml", "title: Ours\nsections:\n  - family: quality\n    metrics: [coverage]\n")
        let result = try VitalsProcess.run(["report", "daily", "--now", now], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("reports/daily.yml:4:15: sections[0].metrics[0]: unknown metric 'coverage'; see docs/metrics.md\n"), "\(result.stderr)")
        let unknown = try VitalsProcess.run(["report", "monthly", "--now", now], in: folder.url)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no report named 'monthly'"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("known: daily, weekly"), "\(unknown.stderr)")
    }

    @Test func aCustomTemplateReplacesTheBuiltInLayoutOfItsFormat() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "time_zone: UTC\nsources: []\n")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("reports"), withIntermediateDirectories: true)
        _ = try folder.write("reports/weekly.md.mustache", "{{title}} from {{period.from}}{{#sections}} | {{title}}{{/sections}}\n")
        let result = try VitalsProcess.run(["report", "weekly", "--now", now], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Weekly digest from 2026-11-16T00:00:00Z | Code quality | Stability | Velocity\n")
        // Other formats keep their built-in layout.
        let html = try VitalsProcess.run(["report", "weekly", "--now", now, "--format", "html"], in: folder.url)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        _ = try folder.write("reports/weekly.md.mustache", "line one\n{{#sections}}\n")
        let broken = try VitalsProcess.run(["report", "weekly", "--now", now], in: folder.url)
        #expect(broken.status == 1)
        #expect(broken.stderr == "reports/weekly.md.mustache:3:1: a section is not closed; end it with {{/name}}\n", "\(broken.stderr)")
    }
}
