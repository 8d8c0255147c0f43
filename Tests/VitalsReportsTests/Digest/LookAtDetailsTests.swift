import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsReports
import VitalsStore

/// "What to look at" names the least-covered files and the top rules from what the real collectors stored, read from files
/// the real tools wrote (Tests/VitalsCollectorsTests/Fixtures, described in its README.md), in a real SQLite store.
@Suite struct LookAtDetailsTests {
    static let definition = try! ReportDefinitionLoader.parse(
        """
        title: Quality
        period: 7d
        sections:
          - family: quality
            metrics:
              - {metric: coverage_lines_ratio, better: higher, good: 80%, warn: 70%, bad: 50%}
              - {metric: security_findings, better: lower, good: 0, warn: 5, bad: 20}
              - {metric: security_findings_new, better: lower, good: 0, warn: 5, bad: 20}
        """, name: "quality", file: "quality.yml", metrics: Set(MetricCatalog.standard.metrics.map(\.name)), channels: [])

    /// A repository folder holding copies of the collector fixtures.
    final class Folder {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-lookat-\(UUID().uuidString)")

        func place(_ fixture: String, at path: String) throws {
            let target = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: Repository.root.appendingPathComponent("Tests/VitalsCollectorsTests/Fixtures").appendingPathComponent(fixture), to: target)
        }

        func remove(_ path: String) throws { try FileManager.default.removeItem(at: root.appendingPathComponent(path)) }

        deinit { try? FileManager.default.removeItem(at: root) }
    }

    /// Runs `collector` at `at` and writes what it collected, labelled with its source as the runner labels it.
    func collect(_ collector: any LocalCollector, at: Timestamp, into fixture: ReportFixture) async throws {
        let samples = try await collector.collect(CollectionRequest(now: at, timeZone: ReportFixture.berlin))
        try await fixture.store.write(SeriesIdentity.labelled(samples, source: collector.source))
    }

    func digest(_ fixture: ReportFixture) async throws -> Digest {
        try await DigestBuilder.build(
            definition: Self.definition, store: fixture.store, now: ReportFixture.now, timeZone: ReportFixture.berlin,
            sources: ReportFixture.sources, alerts: nil)
    }

    /// coverage.py's report on `store/` (README: export.py 0 of 7 lines, stock.py 3 of 8, cart.py 8 of 13, fees.py and tax.py
    /// 3 of 4): most uncovered lines first, stock.py before cart.py (5 each) by its lower ratio. An earlier collection of
    /// another report (`shipping.py`, since gone) is not named.
    @Test(arguments: ["Coverage/coveragepy-store.lcov", "Coverage/coveragepy-store.xml"])
    func coverageNamesTheLeastCoveredFilesOfTheNewestCollection(fixture name: String) async throws {
        let folder = Folder()
        let fixture = try await ReportFixture(.disk)
        let collector = CoverageCollector(repository: folder.root, paths: ["coverage/report"], repo: "shop")
        try folder.place("Coverage/coveragepy.lcov", at: "coverage/report")
        try await collect(collector, at: ReportFixture.november(20, hours: 9), into: fixture)
        try folder.remove("coverage/report")
        try folder.place(name, at: "coverage/report")
        try await collect(collector, at: ReportFixture.november(24, hours: 9), into: fixture)

        let digest = try await digest(fixture)

        let item = try #require(digest.lookAt.first { $0.metric == "coverage_lines_ratio" })
        // ceil(0.8 × 36 − 17) = 12.
        #expect(
            item.recommendation
                == "Cover 12 more lines to reach 80.0% (17/36 lines covered now). Most uncovered lines: `store/export.py` 0/7 lines (0.0%), "
                + "`store/stock.py` 3/8 lines (37.5%), `store/cart.py` 8/13 lines (61.5%).")
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(markdown.contains("   " + item.recommendation))
    }

    /// Findings of CodeQL's shape and bandit's: the three rules with most findings, equal counts by rule id
    /// (js/hardcoded-credentials before js/sql-injection, 2 each), with the tool's name since the rules come from two tools.
    /// The new findings' recommendation says its rules are counted over all open findings.
    @Test func securityFindingsNameTheTopRulesByCount() async throws {
        let folder = Folder()
        let fixture = try await ReportFixture(.memory)
        try folder.place("SARIF/codeql-shaped.sarif", at: "codeql.sarif")
        try folder.place("SARIF/bandit.sarif", at: "sarif/bandit.sarif")
        try await collect(SarifCollector(repository: folder.root, repo: "shop"), at: ReportFixture.november(24, hours: 9), into: fixture)

        let digest = try await digest(fixture)

        let rules =
            "`js/xss` 3 (CodeQL: Cross-site scripting), `js/hardcoded-credentials` 2 (CodeQL: Hard-coded credentials), "
            + "`js/sql-injection` 2 (CodeQL: Database query built from user-controlled sources)."
        let findings = try #require(digest.lookAt.first { $0.metric == "security_findings" })
        #expect(
            findings.recommendation
                == "Start with the 2 critical-severity findings (critical 2 · high 2 · medium 3 · low 1). Top rules by count: " + rules)
        let new = try #require(digest.lookAt.first { $0.metric == "security_findings_new" })
        #expect(new.recommendation == "Start with the 2 error-level findings (error 2 · warning 1 · note 2). Top rules by count of all open findings: " + rules)
    }

    /// One tool's rules are named without it; a rule whose log gives no description has none.
    @Test func oneToolsRulesAreNamedWithoutTheTool() async throws {
        let folder = Folder()
        let fixture = try await ReportFixture(.memory)
        try folder.place("SARIF/bandit.sarif", at: "bandit.sarif")
        try await collect(SarifCollector(repository: folder.root, repo: "shop"), at: ReportFixture.november(24, hours: 9), into: fixture)

        let item = try #require(try await digest(fixture).lookAt.first { $0.metric == "security_findings" })

        #expect(item.recommendation == "Start with the 1 error-level findings (error 1 · warning 2 · note 4). Top rules by count: `B101` 1, `B105` 1, `B301` 1.")
    }

    /// Totals collected by a vitals that stored no per-file or per-rule series: the recommendations say so and name nothing.
    @Test func aCollectionWithoutPerFileOrPerRuleDataSaysSo() async throws {
        let fixture = try await ReportFixture(.memory)
        let at = ReportFixture.november(24, hours: 9)
        let labels: Labels = ["repo": "shop", "source": "coverage"]
        try await fixture.store.write([
            Sample("coverage_lines_ratio", labels, kind: .gauge, unit: .ratio, at: at, value: 0.6),
            Sample("coverage_lines_covered", labels, kind: .gauge, at: at, value: 600),
            Sample("coverage_lines_valid", labels, kind: .gauge, at: at, value: 1000),
            Sample("security_findings", ["repo": "shop", "source": "sarif", "level": "error"], kind: .gauge, at: at, value: 3),
            // A file and a rule of an earlier collection are not this one's.
            Sample("coverage_file_lines_missed", labels.setting("path", to: "old.py"), kind: .gauge, at: ReportFixture.november(20), value: 9),
            Sample("coverage_file_lines_valid", labels.setting("path", to: "old.py"), kind: .gauge, at: ReportFixture.november(20), value: 10),
            Sample("security_rule_findings", ["repo": "shop", "source": "sarif", "rule": "old"], kind: .gauge, at: ReportFixture.november(20), value: 3),
        ])

        let digest = try await digest(fixture)

        let coverage = try #require(digest.lookAt.first { $0.metric == "coverage_lines_ratio" })
        #expect(
            coverage.recommendation
                == "Cover 200 more lines to reach 80.0% (600/1,000 lines covered now). The newest collection stored no per-file coverage "
                + "(collected by a vitals that did not store it, or no file has uncovered lines): the coverage tool's per-file table names the "
                + "least-covered files.")
        let findings = try #require(digest.lookAt.first { $0.metric == "security_findings" })
        #expect(
            findings.recommendation
                == "Start with the 3 error-level findings (error 3). The newest collection stored no per-rule counts (collected by a vitals "
                + "that did not store them, or no finding has a rule id): the SARIF files name the rules.")
    }
}
