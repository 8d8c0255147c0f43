import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsStore

/// Rows of series that carry a `source` label: each takes its own source's state, and shows the label where it tells rows apart.
@Suite struct SourceLabelRowsTests {
    static let sources = [
        SourceConfig(name: "git", type: .git), SourceConfig(name: "app-coverage", type: .coverage),
        SourceConfig(name: "lib-coverage", type: .coverage), SourceConfig(name: "sarif", type: .sarif),
    ]

    func report(_ fixture: ReportFixture, sources: [SourceConfig]) async throws -> Report {
        try await ReportBuilder.build(
            store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: sources)
    }

    func coverage(_ source: String, _ value: Double) -> Sample {
        Sample(
            "coverage_lines_ratio", ["repo": "vitals", "source": source], kind: .gauge, unit: .ratio, at: ReportFixture.november(24, hours: 9),
            value: value)
    }

    /// Two coverage sources: one row each, each with its own source's status (both took the failed one's before).
    @Test func eachRowTakesItsOwnSourcesRun() async throws {
        let fixture = try await ReportFixture(.memory)
        try await fixture.store.write([coverage("app-coverage", 0.5), coverage("lib-coverage", 0.75)])
        try await fixture.record("app-coverage", at: ReportFixture.now, error: "app/lcov.info: line 2: LF: 'x' is not a count")
        try await fixture.record("lib-coverage", at: ReportFixture.now, samples: 3)

        let report = try await report(fixture, sources: Self.sources)

        let rows = report.sections.flatMap(\.rows).filter { $0.metric == "coverage_lines_ratio" }
        #expect(rows.map(\.source) == ["app-coverage", "lib-coverage"])
        #expect(rows.map(\.status) == [.failed, .ok])
        #expect(rows.map(\.value) == [0.5, 0.75])
        let markdown = try MarkdownRenderer().render(report)
        #expect(markdown.contains("| Line coverage (source=app-coverage) | 50.0% |"))
        #expect(markdown.contains("| Line coverage (source=lib-coverage) | 75.0% |"))
    }

    /// With one source of the type the label says nothing the row does not, so Markdown leaves it out; JSON keeps every label.
    @Test func theOnlySourceOfItsTypeIsNotRepeatedOnEveryRow() async throws {
        let fixture = try await ReportFixture(.memory)
        try await fixture.store.write([coverage("coverage", 0.5)])
        try await fixture.record("coverage", at: ReportFixture.now, samples: 3)

        let report = try await report(fixture, sources: ReportFixture.sources)

        #expect(try MarkdownRenderer().render(report).contains("| Line coverage | 50.0% |"))
        #expect(report.sections.flatMap(\.rows).first { $0.metric == "coverage_lines_ratio" }?.labels == ["repo": "vitals", "source": "coverage"])
    }

    /// A series whose source is no longer configured keeps its label in view and takes no configured source's state.
    @Test func aSeriesOfASourceNoLongerConfiguredShowsItsSource() async throws {
        let fixture = try await ReportFixture(.memory)
        try await fixture.store.write([coverage("old-coverage", 0.5)])
        try await fixture.record("coverage", at: ReportFixture.now, error: "broken")

        let report = try await report(fixture, sources: ReportFixture.sources)

        let row = try #require(report.sections.flatMap(\.rows).first { $0.metric == "coverage_lines_ratio" })
        #expect(row.source == nil)
        #expect(row.status == .ok)
        #expect(try MarkdownRenderer().render(report).contains("| Line coverage (source=old-coverage) | 50.0% |"))
    }

    @Test func aSkippedSourceIsShownAsSkippedNotFailed() async throws {
        let fixture = try await ReportFixture(.memory)
        try await fixture.record("coverage", at: ReportFixture.now, error: "no input: no coverage file found under /repo", status: .skipped)

        let report = try await report(fixture, sources: ReportFixture.sources)

        #expect(report.sources.first { $0.name == "coverage" }?.status == .skipped)
        #expect(
            try MarkdownRenderer().render(report).contains(
                "| coverage | coverage | 2026-11-25 10:00 | skipped | 0 | no input: no coverage file found under /repo |"))
    }
}
