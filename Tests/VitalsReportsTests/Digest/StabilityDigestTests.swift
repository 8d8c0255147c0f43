import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsReports
import VitalsStore

/// Distributions, uptimes, CI success counted from runs, change-failure counts and DORA levels in a digest over a small
/// real store, with figures computed by hand. The period is the 7 local days 2026-11-19 … 2026-11-25 in Europe/Berlin,
/// compared with 2026-11-12 … 2026-11-18.
@Suite struct StabilityDigestTests {
    static let definition = try! ReportDefinitionLoader.parse(
        """
        title: Stability
        period: 7d
        sections:
          - family: stability
            metrics:
              - {metric: github_workflow_success_ratio, better: higher, good: 95%, warn: 90%, bad: 80%}
              - {metric: probe_success, better: higher, good: 99.9%, warn: 99%, bad: 95%}
              - dora_deployments
              - dora_lead_time_seconds
              - dora_change_failure_ratio
              - dora_recovery_seconds
          - family: velocity
            metrics:
              - github_pr_cycle_seconds
              - github_prs_open
              - {metric: github_prs_stale, better: lower, good: 0, warn: 2, bad: 10}
        """, name: "stability", file: "stability.yml", metrics: Set(MetricCatalog.standard.metrics.map(\.name)), channels: [])

    static let sources = [SourceConfig(name: "gh", type: .github), SourceConfig(name: "probe", type: .httpProbe)]
    static let repo: Labels = ["repo": "shop"]
    static let health = "https://shop.example/health"
    static let api = "https://api.example/"

    func store() async throws -> ReportFixture {
        let fixture = try await ReportFixture(.memory)
        let day = { (day: Int, hours: Int64) in ReportFixture.november(day, hours: hours) }
        var samples: [Sample] = []
        // PR cycle times in the period: 1 h, 2 h, 1 d, 3 d; one of 2 h in the comparison period.
        for (at, seconds) in [(day(20, 9), 3_600.0), (day(21, 9), 7_200), (day(22, 9), 86_400), (day(23, 9), 259_200), (day(14, 9), 7_200)] {
            samples.append(Sample("github_pr_cycle_seconds", Self.repo, kind: .gauge, unit: .seconds, at: at, value: seconds))
        }
        for (at, seconds) in [(day(20, 10), 1_800.0), (day(21, 10), 5_400), (day(22, 10), 10_800)] {
            samples.append(Sample("dora_lead_time_seconds", Self.repo, kind: .gauge, unit: .seconds, at: at, value: seconds))
        }
        samples.append(Sample("dora_recovery_seconds", Self.repo, kind: .gauge, unit: .seconds, at: day(23, 12), value: 1_200))
        // Two successful deployments a day from 2026-11-12 on: 28 in 14 days.
        for date in 12...25 { samples.append(Sample("dora_deployments", Self.repo, kind: .event, at: day(date, 0), value: 2)) }
        let at = day(24, 9)
        samples += [
            Sample("dora_change_failure_ratio", Self.repo, kind: .gauge, unit: .ratio, at: at, value: 0.25),
            Sample("dora_change_failures", Self.repo, kind: .gauge, at: at, value: 3),
            Sample("dora_deployments_ended", Self.repo, kind: .gauge, at: at, value: 12),
            Sample("github_prs_open", Self.repo, kind: .gauge, at: at, value: 7),
            Sample("github_prs_stale", Self.repo, kind: .gauge, at: at, value: 3),
        ]
        // Runs on 2026-11-20: CI 8 success + 2 failure, Lint 5 success + 1 cancelled (not judged), Deploy 3 success + 1 timed out.
        for (workflow, conclusion, count) in [
            ("CI", "success", 8.0), ("CI", "failure", 2), ("Lint", "success", 5), ("Lint", "cancelled", 1), ("Deploy", "success", 3),
            ("Deploy", "timed_out", 1),
        ] {
            let labels = Self.repo.setting("workflow", to: workflow).setting("conclusion", to: conclusion)
            samples.append(Sample("github_workflow_runs", labels, kind: .event, at: day(20, 0), value: count))
        }
        for (workflow, ratio) in [("CI", 0.8), ("Lint", 1.0), ("Deploy", 0.75)] {
            samples.append(
                Sample(
                    "github_workflow_success_ratio", Self.repo.setting("workflow", to: workflow), kind: .gauge, unit: .ratio, at: day(20, 0),
                    value: ratio))
        }
        // Health: 10 checks in the period, one failed; api: 4 checks, none failed.
        for index in 0..<10 {
            samples.append(
                Sample("probe_success", ["url": Self.health], kind: .gauge, at: day(19 + index % 7, Int64(index)), value: index == 3 ? 0 : 1))
        }
        for index in 0..<4 { samples.append(Sample("probe_success", ["url": Self.api], kind: .gauge, at: day(20, Int64(index)), value: 1)) }
        try await fixture.store.write(samples)
        return fixture
    }

    func digest() async throws -> Digest {
        try await DigestBuilder.build(
            definition: Self.definition, store: try await store().store, now: ReportFixture.now, timeZone: ReportFixture.berlin,
            sources: Self.sources, alerts: nil)
    }

    func row(_ digest: Digest, _ name: String) throws -> DigestRow {
        try #require(digest.sections.flatMap(\.rows).first { $0.name == name }, "no row \(name)")
    }

    /// Sorted 1 h, 2 h, 1 d, 3 d: median (2 h + 1 d) / 2 = 13 h; p90 at rank 2.7: 1 d + 0.7 · 2 d = 2.4 d.
    @Test func aDistributionShowsMedianP90AndCount() async throws {
        let digest = try await digest()
        let cycle = try row(digest, "PR cycle time")
        #expect(cycle.kind == .distribution)
        #expect(cycle.value == 46_800)
        #expect(cycle.distribution?.count == 4)
        #expect(cycle.distribution?.median == 46_800)
        #expect(abs((cycle.distribution?.p90 ?? 0) - 207_360) < 1e-6)
        #expect(cycle.previousDistribution == Distribution(count: 1, median: 7_200, p90: 7_200))
        #expect(cycle.change == 39_600)
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("| PR cycle time | median 13 h · p90 2.4 d (4 PRs) | +11 h (+550.0%) |"), "\(markdown)")
        let html = try HTMLRenderer().render(digest)
        #expect(html.contains("median 13 h · p90 2.4 d (4 PRs)"))
        let slack = try SlackRenderer().render(digest)
        #expect(slack.contains("median 13 h · p90 2.4 d (4 PRs)"))
        let json = try DigestJSONRenderer().render(digest)
        #expect(json.contains("\"distribution\" : {\n"))
        #expect(try SchemaValidator.errors(in: json) == [])
    }

    @Test func theFourDoraKeysShowTheirLevel() async throws {
        let digest = try await digest()
        // Lead times 30 min, 1.5 h, 3 h: median 1.5 h, between one hour and a week: high.
        #expect(try row(digest, "Lead time for changes").dora.map { [$0.level.rawValue, $0.basis] } == ["high", "median 1.5 h ≤ 1 week"])
        // One recovery of 20 minutes: elite.
        #expect(try row(digest, "Time to restore").dora?.level == .elite)
        // 3 of 12 deployments failed: 25 %, in the 16–30 % band: high.
        let failures = try row(digest, "Change failure rate")
        #expect(failures.dora?.level == .high)
        #expect(failures.counts == RawCounts(numerator: 3, denominator: 12, previousNumerator: nil, previousDenominator: nil))
        // 28 deployments in the 14 days of the trend period with data: 2 a day, elite.
        #expect(try row(digest, "Deployments").dora.map { [$0.level.rawValue, $0.basis] } == ["elite", "28 in 14 days ≥ 1 a day"])
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("| Change failure rate | 25.0% (3/12 deployments) · DORA high |"), "\(markdown)")
        #expect(markdown.contains("| Time to restore | median 20 min · p90 20 min (1 recovery) · DORA elite |"))
    }

    /// 16 of 19 judged runs succeeded (the cancelled run judges nothing): 84.2 %, not the sum or last of the stored ratios.
    @Test func ciSuccessIsCountedFromRunsWithTheWorkflowsFailingMost() async throws {
        let digest = try await digest()
        let ci = try row(digest, "CI success rate")
        #expect(ci.counts == RawCounts(numerator: 16, denominator: 19, previousNumerator: nil, previousDenominator: nil))
        #expect(ci.value == 16.0 / 19)
        #expect(ci.breakdown.map(\.value) == ["CI", "Deploy", "Lint"])
        #expect(ci.breakdown.map(\.now) == [0.8, 0.75, 1])
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("| CI success rate | 84.2% (16/19 runs) · CI 80.0% · Deploy 75.0% · Lint 100.0% |"), "\(markdown)")
        let item = try #require(digest.lookAt.first { $0.metric == "github_workflow_success_ratio" })
        #expect(
            item.recommendation
                == "Fix the workflows failing most: `CI` 2 of 10 runs failed, `Deploy` 1 of 4 runs failed; 16 of 19 runs succeeded in all.")
    }

    /// Health: 9 of 10 checks passed; api: 4 of 4. One row per probe URL.
    @Test func uptimeIsTheShareOfPassedChecksPerProbe() async throws {
        let digest = try await digest()
        let health = try row(digest, "Uptime (url=\(Self.health))")
        #expect(health.value == 0.9)
        #expect(health.counts == RawCounts(numerator: 9, denominator: 10, previousNumerator: nil, previousDenominator: nil))
        #expect(health.unit == .ratio)
        #expect(try row(digest, "Uptime (url=\(Self.api))").value == 1)
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("| Uptime (url=\(Self.health)) | 90.0% (9/10 checks) |"), "\(markdown)")
        let item = try #require(digest.lookAt.first { $0.metric == "probe_success" })
        #expect(item.recommendation.hasPrefix("Probes below 99.9% uptime: \(Self.health) 90.0% (9/10 checks)."))
    }

    @Test func stalePullRequestsPointAtTheSearchThatListsThem() async throws {
        let item = try #require(try await digest().lookAt.first { $0.metric == "github_prs_stale" })
        #expect(
            item.recommendation
                == "3 open pull requests had no update for 7 days (of 7 open). The github source stores their count, not the pull "
                + "requests: GitHub's search `is:pr is:open updated:<2026-11-18 sort:updated-asc` lists them, oldest first.")
    }

    /// With the pull requests stored (`github_pr_stale_seconds`), the oldest of the newest collection are named one by
    /// one; one stale at an earlier collection only (since updated) is not.
    @Test func stalePullRequestsAreNamedOldestFirst() async throws {
        let fixture = try await store()
        let at = ReportFixture.november(24, hours: 9)
        func stale(_ number: Int, days: Double, at: Timestamp, title: String? = nil) -> Sample {
            var labels = Self.repo.setting("number", to: String(number)).setting("url", to: "https://github.com/acme/shop/pull/\(number)")
            if let title { labels = labels.setting("title", to: title) }
            return Sample("github_pr_stale_seconds", labels, kind: .gauge, unit: .seconds, at: at, value: days * 86_400)
        }
        _ = try await fixture.store.write([
            stale(12, days: 21.5, at: at, title: "Fix the \"flaky\" test"), stale(15, days: 8, at: at, title: "Bump deps"),
            stale(3, days: 40, at: at),
            stale(99, days: 50, at: ReportFixture.november(20, hours: 9), title: "Updated since"),
        ])
        let digest = try await DigestBuilder.build(
            definition: Self.definition, store: fixture.store, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: Self.sources,
            alerts: nil)
        let item = try #require(digest.lookAt.first { $0.metric == "github_prs_stale" })
        #expect(
            item.recommendation
                == "3 open pull requests had no update for 7 days (of 7 open). Review or close the oldest first: "
                + "#3 (40 days without an update, https://github.com/acme/shop/pull/3); "
                + "#12 \"Fix the \"flaky\" test\" (21 days without an update, https://github.com/acme/shop/pull/12); "
                + "#15 \"Bump deps\" (8 days without an update, https://github.com/acme/shop/pull/15).")
        // In Slack each is a link: `<url|text>`, not a bare URL.
        let slack = try #require(SlackRenderer().messages(digest).first)
        let lookAt = slack.blocks.compactMap { block -> String? in
            if case .section(let text, _) = block, text.hasPrefix("*What to look at*") { return text }
            return nil
        }
        let text = try #require(lookAt.first)
        #expect(text.contains("#3 (40 days without an update, <https://github.com/acme/shop/pull/3|github.com/acme/shop/pull/3>); "), "\(text)")
        #expect(text.contains("(8 days without an update, <https://github.com/acme/shop/pull/15|github.com/acme/shop/pull/15>)."))
        #expect(!text.contains(", https://"))
    }

    /// Over 63 days the trend is weekly, and a week's value is the median of the week's samples: 1, 1, 1 on one day and 10
    /// on the next give 1, not the last day's 10 nor the median of the day medians (5.5).
    @Test func aWeeklyTrendValueIsTheMedianOfTheWeeksSamples() async throws {
        let fixture = try await ReportFixture(.memory)
        let samples = ["2026-09-24T01:00:00Z", "2026-09-24T02:00:00Z", "2026-09-24T03:00:00Z", "2026-09-25T01:00:00Z"].enumerated().map { index, at in
            Sample("github_pr_cycle_seconds", Self.repo, kind: .gauge, unit: .seconds, at: RFC3339.parse(at)!, value: index == 3 ? 10 : 1)
        }
        try await fixture.store.write(samples)
        let definition = try ReportDefinitionLoader.parse(
            "title: Long\nperiod: 63d\nsections:\n  - family: velocity\n    metrics: [github_pr_cycle_seconds]\n", name: "long", file: "long.yml",
            metrics: Set(MetricCatalog.standard.metrics.map(\.name)), channels: [])
        let digest = try await DigestBuilder.build(
            definition: definition, store: fixture.store, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: Self.sources,
            alerts: nil)
        #expect(digest.trendBucketDays == 7)
        let cycle = try row(digest, "PR cycle time")
        #expect(cycle.distribution.map { [Double($0.count), $0.median] } == [4, 1])
        #expect(abs((cycle.distribution?.p90 ?? 0) - 7.3) < 1e-9)
        #expect(cycle.trend.count == 9)
        #expect(cycle.trend.first == 1)
        #expect(cycle.trend.dropFirst().allSatisfy { $0 == nil })
    }

    /// The unnamed report (`vitals report`) shows the same median, with the distribution in its JSON.
    @Test func theUnnamedReportShowsTheMedianToo() async throws {
        let fixture = try await store()
        let report = try await ReportBuilder.build(
            store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: Self.sources)
        let cycle = try #require(report.sections.flatMap(\.rows).first { $0.metric == "github_pr_cycle_seconds" })
        #expect(cycle.kind == .distribution)
        #expect(cycle.value == 46_800)
        #expect(cycle.distribution?.count == 4)
        let uptime = try #require(report.sections.flatMap(\.rows).first { $0.labels["url"] == Self.health })
        #expect(uptime.value == 0.9)
        #expect(try SchemaValidator.errors(in: try JSONRenderer().render(report)) == [])
        let markdown = try MarkdownRenderer().render(report)
        #expect(markdown.contains("| median 13 h · p90 2.4 d (4) |"), "\(markdown)")
        #expect(markdown.contains("| 90.0% (9/10) |"))
    }
}
