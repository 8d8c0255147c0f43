import Foundation
import Testing
import VitalsCore
import VitalsReports
import VitalsStore

/// Digests over a real SQLite store with known data in Europe/Berlin; `now` is Wednesday 2026-11-25 10:00 local.
@Suite struct DigestBuilderTests {
    static let definition = try! ReportDefinitionLoader.parse(
        """
        title: Team digest
        period: 7d
        comparison: previous_period
        alerts: true
        sections:
          - family: quality
            metrics:
              - {metric: coverage_lines_ratio, better: higher, good: 80%, warn: 70%, bad: 50%}
              - {metric: code_markers, better: lower, good: 20, warn: 50, bad: 150}
              - {metric: security_findings, better: lower, good: 0, warn: 5, bad: 20}
          - family: velocity
            metrics:
              - {metric: git_commits, better: higher, good: 10, warn: 3, bad: 0}
              - git_authors
              - git_merges
        """, name: "team", file: "team.yml", metrics: Set(MetricCatalog.standard.metrics.map(\.name)), channels: [])

    /// Commits collected only from 2026-11-22 (zero-filled days), coverage with its raw counts, markers per kind.
    func store(repositories: [String] = ["shop"]) async throws -> ReportFixture {
        let fixture = try await ReportFixture(.memory)
        var samples: [Sample] = []
        for repository in repositories {
            let repo: Labels = ["repo": repository]
            for (day, commits) in [(22, 0.0), (23, 2), (24, 0), (25, 0)] {
                samples.append(Sample("git_commits", repo, kind: .event, at: ReportFixture.november(day), value: commits))
            }
            for (day, ratio, covered) in [(15, 0.65, 650.0), (24, 0.6, 600)] {
                let at = ReportFixture.november(day, hours: 9)
                samples.append(Sample("coverage_lines_ratio", repo, kind: .gauge, unit: .ratio, at: at, value: ratio))
                samples.append(Sample("coverage_lines_covered", repo, kind: .gauge, at: at, value: covered))
                samples.append(Sample("coverage_lines_valid", repo, kind: .gauge, at: at, value: 1000))
            }
            for (kind, before, now) in [("todo", 20.0, 23.0), ("xxx", 2, 2), ("fixme", 1, 6), ("hack", 0, 0)] {
                samples.append(
                    Sample("code_markers", repo.setting("kind", to: kind), kind: .gauge, at: ReportFixture.november(15, hours: 9), value: before))
                samples.append(
                    Sample("code_markers", repo.setting("kind", to: kind), kind: .gauge, at: ReportFixture.november(24, hours: 9), value: now))
            }
        }
        try await fixture.store.write(samples)
        return fixture
    }

    static let alerts = ReportAlerts(
        firing: [
            ReportAlertSpan(
                rule: "quality/CoverageLow", labels: ["repo": "shop"], severity: "warning", firedAt: RFC3339.parse("2026-11-25T07:00:00Z")!,
                resolvedAt: nil)
        ],
        history: [
            ReportAlertSpan(
                rule: "quality/MarkersUp", labels: [:], severity: nil, firedAt: RFC3339.parse("2026-11-20T10:00:00Z")!,
                resolvedAt: RFC3339.parse("2026-11-20T10:45:00Z")!),
            ReportAlertSpan(
                rule: "quality/Old", labels: [:], severity: nil, firedAt: RFC3339.parse("2026-11-01T10:00:00Z")!,
                resolvedAt: RFC3339.parse("2026-11-02T10:00:00Z")!),
        ])

    func digest(_ fixture: ReportFixture, definition: ReportDefinition = Self.definition) async throws -> Digest {
        try await DigestBuilder.build(
            definition: definition, store: fixture.store, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: ReportFixture.sources,
            alerts: Self.alerts)
    }

    @Test func scoresFromThresholdsLeaveOutMetricsWithoutData() async throws {
        let digest = try await digest(try await store())
        let quality = digest.sections[0]
        #expect(quality.rows.map(\.name) == ["Line coverage", "Code markers"])
        // Coverage 60% is between bad (50%) and warn (70%): 25. Markers 31 between good 20 and warn 50: 50 + 50·19/30.
        #expect(quality.rows.map { $0.score.map { ($0 * 100).rounded() / 100 } } == [25, 81.67])
        #expect(quality.rows.map(\.grade) == [.bad, .warn])
        #expect(quality.score == 53)
        // Commits 2 between bad 0 and warn 3: 33.
        #expect(digest.sections[1].score == 33)
        #expect(digest.score == 43)
        #expect(digest.unscored == ["Security findings"])
        #expect(quality.unscored == ["Security findings"])
    }

    @Test func rowsShowRawCountsAndTheirBreakdownInline() async throws {
        let digest = try await digest(try await store())
        let coverage = digest.sections[0].rows[0]
        #expect(coverage.counts?.numerator == 600)
        #expect(coverage.counts?.denominator == 1000)
        let markers = digest.sections[0].rows[1]
        #expect(markers.value == 31)
        #expect(markers.breakdown.map(\.value) == ["todo", "fixme", "xxx", "hack"])
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("| Line coverage | 60.0% (600/1,000) | -5.0 pp |"))
        #expect(markdown.contains("| Code markers | 31 · TODO 23 · FIXME 6 · XXX 2 · HACK 0 | +8 (+34.8%) |"))
        #expect(!markdown.contains("(repo="))
    }

    /// Findings by severity are another breakdown of the findings by level: shown apart, never added to the total.
    @Test func aSecondBreakdownIsShownApartFromTheTotal() async throws {
        let fixture = try await store()
        let at = ReportFixture.november(24, hours: 9)
        try await fixture.store.write(
            [("level", "error", 3.0), ("level", "warning", 9), ("severity", "high", 2), ("severity", "medium", 5)].map { label, value, count in
                Sample("security_findings", ["repo": "shop", label: value], kind: .gauge, at: at, value: count)
            })
        let findings = try #require(try await digest(fixture).sections[0].rows.first { $0.metric == "security_findings" })
        #expect(findings.value == 12)
        let markdown = try await DigestMarkdownRenderer().render(try digest(fixture))
        #expect(markdown.contains("| Security findings | 12 · warning 9 · error 3 (severity: medium 5 · high 2) |"), "\(markdown)")
        // The recommendation starts with the most severe findings, not the most numerous.
        let item = try #require(try await digest(fixture).lookAt.first { $0.metric == "security_findings" })
        #expect(
            item.recommendation
                == "Start with the 2 high-severity findings (high 2 · medium 5). The newest collection stored no per-rule counts (collected by "
                + "a vitals that did not store them, or no finding has a rule id): the SARIF files name the rules.")
    }

    @Test func whatToLookAtIsTheLowestScoresWithRecommendationsFromTheirData() async throws {
        let digest = try await digest(try await store())
        #expect(digest.lookAt.map(\.metric) == ["coverage_lines_ratio", "git_commits", "code_markers"])
        #expect(digest.lookAt[0].recommendation.hasPrefix("Cover 200 more lines to reach 80.0% (600/1,000 lines covered now)."))
        #expect(digest.lookAt[0].thresholdText == "good ≥ 80.0% · warn ≥ 70.0% · bad ≤ 50.0%")
        #expect(digest.lookAt[1].recommendation == "2 commits against 10 good, no data in the comparison period; last commit 2026-11-23.")
        #expect(digest.lookAt[2].recommendation.hasPrefix("FIXME markers rose from 1 to 6"))
    }

    @Test func aPeriodTheStoreOnlyPartlyCoversSaysSo() async throws {
        let digest = try await digest(try await store())
        let commits = try #require(digest.sections[1].rows.first { $0.metric == "git_commits" })
        #expect(commits.history.from == ReportFixture.november(22))
        #expect(commits.history.daysCovered == 4)
        #expect(commits.history.daysInPeriod == 7)
        #expect(commits.lastEventAt == ReportFixture.november(23))
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("partial: history from 2026-11-22: 4 of 7 days; last commit 2026-11-23 (2 days ago)"))
        // Merges were never stored, but the days commits were collected are real zeros for them too; the others stay unknown.
        let merges = try #require(digest.sections[1].rows.first { $0.metric == "git_merges" })
        #expect(merges.value == 0)
        // The trend covers the 28 days ending with the period.
        #expect(merges.trend == Array(repeating: nil, count: 24) + [0, 0, 0, 0])
        #expect(merges.history.daysCovered == 4)
        #expect(
            markdown.contains("| Merges | 0 | – | `\(String(repeating: "·", count: 24))▁▁▁▁` |  | partial: history from 2026-11-22: 4 of 7 days |"))
        #expect(markdown.contains("| Metric | Now | Change | Trend (28 days) | Grade | Notes |"))
        // A metric with no series in the store: no row, named as not scored, never a 0.
        #expect(markdown.contains("Not scored, no data: Security findings."))
    }

    /// Active authors is counted from `git_author_commits`, not stored: before the git history starts it has no data, like
    /// commits and merges (not 0), and it carries the same history-coverage and stale notes as commits.
    @Test func activeAuthorsShowTheSameHistoryAndStaleNotesAsCommits() async throws {
        let fixture = try await store()
        try await fixture.store.write([
            Sample("git_author_commits", ["repo": "shop", "author": "ann"], kind: .event, at: ReportFixture.november(23), value: 2)
        ])
        // The git source's newest run is days old: stale.
        try await fixture.record("git", at: ReportFixture.november(20))
        let digest = try await digest(fixture)
        let commits = try #require(digest.sections[1].rows.first { $0.metric == "git_commits" })
        let authors = try #require(digest.sections[1].rows.first { $0.metric == "git_authors" })
        #expect(authors.value == 1)
        #expect(authors.trend == Array(repeating: nil, count: 24) + [0, 1, 0, 0])
        #expect(authors.trend.map { $0 == nil } == commits.trend.map { $0 == nil })
        #expect(authors.history == commits.history)
        #expect(authors.status == .stale)
        let markdown = try DigestMarkdownRenderer().render(digest)
        let lines = markdown.split(separator: "\n")
        let commitLine = try #require(lines.first { $0.hasPrefix("| Commits |") })
        let authorLine = try #require(lines.first { $0.hasPrefix("| Active authors |") })
        #expect(authorLine.hasPrefix("| Active authors | 1 | – | `\(String(repeating: "·", count: 24))▁█▁▁` |"), "\(authorLine)")
        // The notes column: the same as commits', less the last commit.
        let commitNotes = try #require(commitLine.split(separator: " | ").last)
        let authorNotes = try #require(authorLine.split(separator: " | ").last)
        #expect(authorNotes.hasPrefix("stale: the newest run of git"), "\(authorNotes)")
        #expect(authorNotes.contains("partial: history from 2026-11-22: 4 of 7 days"), "\(authorNotes)")
        #expect(commitNotes.hasPrefix(authorNotes.dropLast(2) + "; last commit"), "\(authorNotes) / \(commitNotes)")
    }

    @Test func theAlertsSectionHasFiringAndResolvedWithDurations() async throws {
        let alerts = try #require(try await digest(try store()).alerts)
        #expect(alerts.firing.map(\.durationSeconds) == [7200])
        #expect(alerts.resolved.map(\.rule) == ["quality/MarkersUp"])
        #expect(alerts.resolved.map(\.durationSeconds) == [2700])
        let markdown = try DigestMarkdownRenderer().render(try await digest(try await store()))
        #expect(markdown.contains("- quality/CoverageLow [warning] {repo=shop}: firing since 2026-11-25 08:00, 2h 00m"))
        #expect(markdown.contains("- quality/MarkersUp: fired 2026-11-20 11:00, resolved 2026-11-20 11:45, 45m"))
    }

    @Test func severalRepositoriesAreNamedOnTheirRows() async throws {
        let digest = try await digest(try await store(repositories: ["shop", "web"]))
        #expect(
            digest.sections[0].rows.map(\.name) == [
                "Line coverage (repo=shop)", "Line coverage (repo=web)", "Code markers (repo=shop)", "Code markers (repo=web)",
            ])
    }

    /// 365 days: two-week buckets, 27 values; the last bucket holds the days left over.
    @Test func aYearTrendsInTwoWeekBuckets() async throws {
        var definition = Self.definition
        definition.period = .span(.days(365))
        let digest = try await digest(try await store(), definition: definition)
        #expect(digest.trendBucketDays == 14)
        #expect(digest.sections.flatMap(\.rows).allSatisfy { $0.trend.count == 27 })
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("| Metric | Now | Change | Trend (per 2 weeks) | Grade | Notes |"))
        // The commits were collected from 2026-11-22 only: the year's sum is partial, and says so.
        #expect(markdown.contains("partial: history from 2026-11-22: 4 of 365 days"))
    }

    @Test func longPeriodsTrendInWeeks() async throws {
        var definition = Self.definition
        definition.period = .span(.days(90))
        let digest = try await digest(try await store(), definition: definition)
        #expect(digest.trendBucket == "week")
        #expect(digest.sections.flatMap(\.rows).allSatisfy { $0.trend.count == 13 && $0.sparkline.count == 13 })
    }

    @Test func anEmptyStoreScoresNothingAndSaysSo() async throws {
        let digest = try await digest(try await ReportFixture(.memory))
        #expect(digest.score == nil)
        #expect(digest.lookAt.isEmpty)
        #expect(digest.unscored == ["Line coverage", "Code markers", "Security findings", "Commits"])
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("**Score – (no metric with data)** · Code quality – · Velocity –"))
        #expect(markdown.contains("## Velocity — no metric with data"))
        #expect(!markdown.contains("Score not scored"))
    }

    /// Values that are not finite reach every format as Prometheus writes them, and stop none (a sparkline or a score of one
    /// trapped the process).
    @Test func valuesThatAreNotFiniteRenderInEveryFormat() async throws {
        let digests = try await ShippedReportStores.allDigests().filter { $0.0.hasSuffix("not finite") }
        #expect(!digests.isEmpty)
        for (name, digest) in digests {
            let json = try DigestJSONRenderer().render(digest)
            #expect(json.contains("\"+Inf\"") && json.contains("\"-Inf\""), "\(name)")
            let markdown = try DigestMarkdownRenderer().render(digest)
            // `%f` printed `inf` (and `-inf` as `inf`).
            #expect(markdown.contains("Inf") && markdown.range(of: #"\binf\b"#, options: .regularExpression) == nil, "\(name): \(markdown)")
        }
    }

    @Test func theJSONMatchesTheSchema() async throws {
        let digests = [("this suite's store", try await digest(try await store())), ("an empty store", try await digest(try await ReportFixture(.memory)))]
        for (name, digest) in try await digests + ShippedReportStores.allDigests() {
            let json = try DigestJSONRenderer().render(digest)
            #expect(try SchemaValidator.errors(in: json) == [], "\(name)")
            #expect(json.contains("\"schema_version\" : 3"))
        }
    }
}
