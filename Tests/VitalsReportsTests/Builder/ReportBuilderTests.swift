import Testing
import VitalsCore
import VitalsReports
import VitalsStore

@Suite struct ReportBuilderTests {
    func build(_ fixture: ReportFixture) async throws -> Report {
        try await ReportBuilder.build(
            store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin,
            sources: ReportFixture.sources)
    }

    func row(_ report: Report, _ metric: String) throws -> ReportRow {
        try #require(report.sections.flatMap(\.rows).first { $0.metric == metric })
    }

    @Test(arguments: StoreLocation.allCases)
    func periodsAreTheLocalWeekAndTheOneBefore(location: StoreLocation) async throws {
        let report = try await build(await ReportFixture(location))
        #expect(report.period == Period(from: ReportFixture.november(19), to: ReportFixture.november(26)))
        #expect(report.previousPeriod == Period(from: ReportFixture.november(12), to: ReportFixture.november(19)))
        #expect(report.timeZone == "Europe/Berlin")
        #expect(report.generatedAt == ReportFixture.now)
        #expect(report.sections.map(\.family) == [.quality, .stability, .velocity])
    }

    @Test(arguments: StoreLocation.allCases)
    func eventsSumPerDayAndPeriod(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        let commits = try row(try await build(fixture), "git_commits")
        #expect(commits.labels == ["repo": "vitals"])
        #expect(commits.value == 6)
        #expect(commits.previous == 4)
        #expect(commits.change == 2)
        #expect(commits.changeRatio == 0.5)
        #expect(commits.daily == [2, 0, nil, 3, nil, nil, 1])
        #expect(commits.sparkline == "▆▁·█··▃")
        #expect(commits.lastSampleAt == ReportFixture.november(25))
        #expect(commits.source == "git")
        #expect(commits.status == .ok)
        #expect(commits.statusDetail == nil)
    }

    @Test(arguments: StoreLocation.allCases)
    func authorsAreDistinctSeriesNotSummedCommits(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        let report = try await build(fixture)
        let authors = try row(report, "git_authors")
        #expect(authors.kind == .distinct)
        #expect(authors.labels == ["repo": "vitals"])
        #expect(authors.value == 2)
        #expect(authors.previous == 1)
        // A day without a commits sample (the fixture writes commits on some days only) has no data, as on the commits
        // row (`▆▁·█··▃`), not 0 authors.
        #expect(authors.daily == [1, 0, nil, 2, nil, nil, 1])
        #expect(authors.sparkline == "▅▁·█··▅")
        #expect(authors.lastSampleAt == ReportFixture.november(25))
        #expect(!report.sections.flatMap(\.rows).contains { $0.metric == "git_author_commits" })
    }

    @Test(arguments: StoreLocation.allCases)
    func gaugesTakeTheLastValue(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        let coverage = try row(try await build(fixture), "coverage_lines_ratio")
        #expect(coverage.value == 0.812)
        #expect(coverage.previous == 0.79)
        #expect(abs(try #require(coverage.change) - 0.022) < 1e-12)
        #expect(coverage.daily == [nil, 0.80, nil, nil, nil, 0.812, nil])
        #expect(coverage.sparkline == "·▁···█·")
        #expect(coverage.unit == .ratio)
        #expect(coverage.status == .ok)
    }

    @Test(arguments: StoreLocation.allCases)
    func aSeriesWithoutSamplesInThePeriodIsNoDataNotZero(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        let branches = try row(try await build(fixture), "coverage_branches_ratio")
        #expect(branches.value == nil)
        #expect(branches.previous == 0.5)
        #expect(branches.change == nil)
        #expect(branches.daily == Array(repeating: nil, count: 7))
        #expect(branches.sparkline == "·······")
        #expect(branches.lastSampleAt == ReportFixture.november(14, hours: 9))
        #expect(branches.status == .noData)
        #expect(branches.statusDetail == "no samples in the period")
    }

    @Test(arguments: StoreLocation.allCases)
    func staleAndFailedSourcesMarkTheirRowsAndSections(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        let report = try await build(fixture)
        let markers = try row(report, "code_markers")
        #expect(markers.value == 7)
        #expect(markers.status == .stale)
        #expect(markers.statusDetail == "the newest run of markers finished at 2026-11-24T08:00:00Z, more than twice its interval ago")
        #expect(report.sections[0].sourcesWithoutData == ["sarif"])
        #expect(report.sections[1].rows.isEmpty)
        #expect(report.sections[1].sourcesWithoutData.isEmpty)
        #expect(report.sections[2].sourcesWithoutData.isEmpty)
        #expect(
            report.sources == [
                SourceReport(
                    name: "git", type: "git", lastRunAt: RFC3339.parse("2026-11-25T08:45:00Z"), status: .ok, error: nil, samplesWritten: 9,
                    stale: false),
                SourceReport(
                    name: "coverage", type: "coverage", lastRunAt: RFC3339.parse("2026-11-25T08:30:00Z"), status: .ok, error: nil,
                    samplesWritten: 2, stale: false),
                SourceReport(
                    name: "sarif", type: "sarif", lastRunAt: RFC3339.parse("2026-11-25T08:50:00Z"), status: .failed,
                    error: "results.sarif: not JSON at byte 12", samplesWritten: 0, stale: false),
                SourceReport(
                    name: "markers", type: "markers", lastRunAt: RFC3339.parse("2026-11-24T08:00:00Z"), status: .ok, error: nil,
                    samplesWritten: 4, stale: true),
            ])
    }

    @Test(arguments: StoreLocation.allCases)
    func aFailedLatestRunMarksRowsThatStillHaveData(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        try await fixture.record("coverage", at: RFC3339.parse("2026-11-25T08:55:00Z")!, error: "coverage.xml: line 3: expected <coverage>")
        let coverage = try row(try await build(fixture), "coverage_lines_ratio")
        #expect(coverage.value == 0.812)
        #expect(coverage.status == .failed)
        #expect(coverage.statusDetail == "the latest run of coverage at 2026-11-25T08:55:00Z failed: coverage.xml: line 3: expected <coverage>")
    }

    @Test(arguments: StoreLocation.allCases)
    func anEmptyStoreListsEverySourceWithoutData(location: StoreLocation) async throws {
        let report = try await build(await ReportFixture(location))
        #expect(report.sections.allSatisfy { $0.rows.isEmpty })
        #expect(report.sections.map(\.sourcesWithoutData) == [["coverage", "sarif", "markers"], [], ["git"]])
        #expect(report.sources.allSatisfy { $0.status == .neverRun && !$0.stale && $0.lastRunAt == nil })
    }
}

@Suite struct ReportBuilderEdgeTests {
    @Test(arguments: StoreLocation.allCases)
    func eventsOnTheLongDayOfADSTChangeCountOnThatDay(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        let repo: Labels = ["repo": "vitals"]
        try await fixture.store.write([
            Sample("git_commits", repo, kind: .event, at: RFC3339.parse("2026-10-25T00:00:00+02:00")!, value: 2),
            Sample("git_commits", repo, kind: .event, at: RFC3339.parse("2026-10-25T23:30:00+01:00")!, value: 3),
            Sample("git_commits", repo, kind: .event, at: RFC3339.parse("2026-10-26T00:00:00+01:00")!, value: 1),
        ])
        let now = RFC3339.parse("2026-10-27T12:00:00Z")!
        let report = try await ReportBuilder.build(
            store: fixture.store, period: .since(.days(7), now: now, timeZone: ReportFixture.berlin), now: now, timeZone: ReportFixture.berlin,
            sources: [])
        let commits = try #require(report.sections[2].rows.first)
        #expect(commits.daily == [nil, nil, nil, nil, 5, 1, nil])
        #expect(commits.value == 6)
        #expect(commits.previous == nil)
        #expect(commits.source == nil)
        #expect(commits.status == .ok)
    }

    @Test(arguments: StoreLocation.allCases)
    func withoutConfiguredSourcesRowsDependOnDataAlone(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        let report = try await ReportBuilder.build(
            store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: [])
        let rows = report.sections.flatMap(\.rows)
        #expect(
            rows.map(\.metric) == [
                "coverage_lines_ratio", "coverage_branches_ratio", "coverage_lines_valid", "code_markers", "git_commits", "git_merges",
                "git_lines_added", "git_lines_deleted", "git_files_changed", "git_authors",
            ])
        // The git metrics without series of their own are real zeros on the days commits cover (as in a digest).
        #expect(rows.map(\.status) == [.ok, .noData, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok])
        #expect(rows.allSatisfy { $0.source == nil })
        #expect(report.sections.allSatisfy { $0.sourcesWithoutData.isEmpty })
        #expect(report.sources.isEmpty)
    }
}
