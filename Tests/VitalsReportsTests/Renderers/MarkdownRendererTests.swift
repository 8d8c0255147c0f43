import Testing
import VitalsCore
import VitalsReports
import VitalsStore

@Suite struct MarkdownRendererTests {
    @Test(arguments: StoreLocation.allCases)
    func rendersSectionsNotesAndSources(location: StoreLocation) async throws {
        let fixture = try await ReportFixture(location)
        try await fixture.writeFullData()
        let report = try await ReportBuilder.build(
            store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin,
            sources: ReportFixture.sources)
        #expect(try MarkdownRenderer().render(report) == Self.expected)
    }

    /// One repository is named once under the heading; rows of two repositories each say which they are.
    @Test func aSecondRepositoryIsNamedInEachRow() async throws {
        let fixture = try await ReportFixture(.memory)
        try await fixture.writeFullData()
        try await fixture.store.write([Sample("git_commits", ["repo": "shop"], kind: .event, at: ReportFixture.november(24), value: 5)])
        let markdown = try MarkdownRenderer().render(
            try await ReportBuilder.build(
                store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin,
                sources: ReportFixture.sources))
        #expect(!markdown.contains("Repository:"))
        #expect(markdown.contains("| Commits (repo=shop) | 5 |"))
        #expect(markdown.contains("| Commits (repo=vitals) | 6 |"))
        #expect(markdown.contains("| Line coverage (repo=vitals) | 81.2% |"))
    }

    @Test func aPeriodNotOnMidnightsShowsItsInstantsAndPipesAreEscaped() throws {
        let period = Period(from: RFC3339.parse("2026-11-25T06:30:00Z")!, to: RFC3339.parse("2026-11-25T09:00:00Z")!)
        let source = SourceReport(
            name: "sarif", type: "sarif", lastRunAt: nil, status: .failed, error: "a|b", samplesWritten: nil, stale: false)
        let report = Report(
            generatedAt: period.to, timeZone: "Europe/Berlin", period: period, previousPeriod: period.previous(timeZone: ReportFixture.berlin),
            sections: [ReportSection(family: .stability, rows: [], sourcesWithoutData: [])], sources: [source], trendBucketDays: 1)
        #expect(
            try MarkdownRenderer().render(report) == """
                # Project health: 2026-11-25 07:30 – 2026-11-25 10:00

                Period 2026-11-25 07:30 – 2026-11-25 10:00 (Europe/Berlin), compared with 2026-11-25 05:00 – 2026-11-25 07:30. \
                Generated 2026-11-25 10:00.

                ## Stability

                No series.

                ## Sources

                | Source | Type | Last run | Status | Samples | Error |
                |:--|:--|:--|:--|--:|:--|
                | sarif | sarif | never | **failed** | – | a\\|b |

                """)
    }

    static let expected = """
        # Project health: 2026-11-19 – 2026-11-25

        Period 2026-11-19 – 2026-11-25 (Europe/Berlin), compared with 2026-11-12 – 2026-11-18. Generated 2026-11-25 10:00. Repository: vitals.

        ## Code quality

        | Metric | Now | Previous | Change | Trend | Notes |
        |:--|--:|--:|--:|:--|:--|
        | Line coverage | 81.2% | 79.0% | +2.2 pp | `·▁···█·` |  |
        | Branch coverage | no data | 50.0% | – | `·······` |  |
        | Coverable lines | 12,345 | – | – | `·····▄·` | partial: history from 2026-11-24: 2 of 7 days |
        | Code markers (kind=todo) | 7 | – | – | `·····▄·` | stale: the newest run of markers finished at 2026-11-24T08:00:00Z, more than twice its interval ago; partial: history from 2026-11-24: 2 of 7 days |

        No data from: sarif.

        ## Stability

        No series.

        ## Velocity

        | Metric | Now | Previous | Change | Trend | Notes |
        |:--|--:|--:|--:|:--|:--|
        | Commits | 6 | 4 | +2 (+50.0%) | `▆▁·█··▃` | last commit 2026-11-25 (today) |
        | Merges | 0 | 0 | 0 | `▁▁·▁··▁` |  |
        | Lines added | 0 | 0 | 0 | `▁▁·▁··▁` |  |
        | Lines deleted | 0 | 0 | 0 | `▁▁·▁··▁` |  |
        | Files changed | 0 | 0 | 0 | `▁▁·▁··▁` |  |
        | Active authors | 2 | 1 | +1 (+100.0%) | `▅▁·█··▅` |  |

        ## Sources

        | Source | Type | Last run | Status | Samples | Error |
        |:--|:--|:--|:--|--:|:--|
        | git | git | 2026-11-25 09:45 | ok | 9 |  |
        | coverage | coverage | 2026-11-25 09:30 | ok | 2 |  |
        | sarif | sarif | 2026-11-25 09:50 | **failed** | 0 | results.sarif: not JSON at byte 12 |
        | markers | markers | 2026-11-24 09:00 | ok, **stale** | 4 |  |

        """
}
