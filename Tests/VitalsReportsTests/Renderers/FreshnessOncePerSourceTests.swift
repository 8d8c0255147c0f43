import Foundation
import Testing
import VitalsCore
import VitalsReports

/// How fresh the data is is said once per source (its last run, in the sources list), never again on each of its rows, in
/// every format of the digest and of the unnamed report.
@Suite struct FreshnessOncePerSourceTests {
    static let definition = try! ReportDefinitionLoader.parse(
        """
        title: Team digest
        period: 7d
        sections:
          - family: quality
            metrics: [coverage_lines_ratio, coverage_branches_ratio, coverage_lines_valid]
          - family: velocity
            metrics: [git_commits, git_authors, git_lines_added]
        """, name: "team", file: "team.yml", metrics: Set(MetricCatalog.standard.metrics.map(\.name)), channels: [])

    /// The git source's last run (several rows) and the coverage source's (several rows), as each format writes a time.
    static let runs = [
        (source: "git", local: "2026-11-25 09:45", utc: "2026-11-25T08:45:00Z", rows: ["git_commits", "git_authors", "git_lines_added"]),
        (source: "coverage", local: "2026-11-25 09:30", utc: "2026-11-25T08:30:00Z", rows: ["coverage_lines_ratio", "coverage_branches_ratio"]),
    ]

    static func occurrences(of text: String, in rendered: String) -> Int {
        rendered.components(separatedBy: text).count - 1
    }

    @Test(arguments: ReportFormat.allCases)
    func inTheDigest(_ format: ReportFormat) async throws {
        let fixture = try await ReportFixture(.memory)
        try await fixture.writeFullData()
        let digest = try await DigestBuilder.build(
            definition: Self.definition, store: fixture.store, now: ReportFixture.now, timeZone: ReportFixture.berlin,
            sources: ReportFixture.sources, alerts: nil)
        let rendered = try format.digestRenderer.render(digest)
        for run in Self.runs {
            // The source has several rows, so a per-row freshness would show its run more than once.
            #expect(digest.sections.flatMap(\.rows).filter { run.rows.contains($0.metric) }.count >= 2)
            #expect(Self.occurrences(of: format == .json ? run.utc : run.local, in: rendered) == 1, "\(run.source) in \(format)")
        }
    }

    @Test(arguments: [ReportFormat.md, .json])
    func inTheUnnamedReport(_ format: ReportFormat) async throws {
        let fixture = try await ReportFixture(.memory)
        try await fixture.writeFullData()
        let report = try await ReportBuilder.build(
            store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: ReportFixture.sources)
        let rendered = try #require(format.renderer).render(report)
        for run in Self.runs {
            #expect(report.sections.flatMap(\.rows).filter { run.rows.contains($0.metric) }.count >= 2)
            #expect(Self.occurrences(of: format == .json ? run.utc : run.local, in: rendered) == 1, "\(run.source) in \(format)")
        }
    }
}
