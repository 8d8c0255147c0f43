import Foundation
import Testing
import VitalsCore
import VitalsReports

@Suite struct ReportDefinitionTests {
    static let metrics = Set(MetricCatalog.standard.metrics.filter(\.isShown).map(\.name))

    func parse(_ text: String, channels: [String] = ["team"]) throws(ConfigError) -> ReportDefinition {
        try ReportDefinitionLoader.parse(text, name: "test", file: "reports/test.yml", metrics: Self.metrics, channels: channels)
    }

    @Test(arguments: ["daily", "weekly"])
    func theShippedDefinitionsLoadAndAreTheBuiltInOnes(name: String) throws {
        let text = try Repository.read("reports/\(name).yml")
        #expect(ReportDefinition.builtIn[name] == text, "reports/\(name).yml and ReportDefinition+BuiltIn.swift differ")
        let definition = try ReportDefinitionLoader.parse(text, name: name, file: "reports/\(name).yml", metrics: Self.metrics, channels: [])
        #expect(definition.showsAlerts)
        #expect(definition.sections.map(\.family) == [.quality, .stability, .velocity])
        #expect(definition.sections.flatMap(\.metrics).contains { $0.metric == "coverage_lines_ratio" && $0.threshold?.good == 0.8 })
    }

    @Test func aFullDefinitionReadsEveryKey() throws {
        let definition = try parse(
            """
            title: Team digest
            period: 7d
            comparison: same_period_last_week
            alerts: false
            channels: [team]
            sections:
              - family: quality
                metrics:
                  - metric: security_findings
                    better: lower
                    good: 0
                    warn: 3
                    bad: 10
                  - code_markers
            """)
        #expect(definition.title == "Team digest")
        #expect(definition.period == .span(.days(7)))
        #expect(definition.comparison == .samePeriodLastWeek)
        #expect(definition.channels == ["team"])
        #expect(definition.sections[0].title == "Code quality")
        #expect(definition.sections[0].metrics[0].threshold == MetricThreshold(better: .lower, good: 0, warn: 3, bad: 10))
        #expect(definition.sections[0].metrics[1] == ReportMetricDefinition(metric: "code_markers"))
    }

    static let errors: [(String, String)] = [
        (
            "title: x\nsection: []\n",
            "reports/test.yml:2:1: unknown key 'section' in the top level; allowed: title, period, comparison, alerts, channels, sections (did you mean 'sections'?)"
        ),
        (
            "title: x\nperiod: yesterday\nsections: []\n",
            "reports/test.yml:2:9: period: 'yesterday' is not a period; give a span such as 1d or 7d, or previous_day, previous_week"
        ),
        (
            "title: x\ncomparison: last_year\nsections: []\n",
            "reports/test.yml:2:13: comparison: 'last_year' is not allowed; allowed: previous_period, same_period_last_week"
        ),
        ("title: x\nchannels: [slak]\nsections: []\n", "reports/test.yml:2:12: channels[0]: unknown channel 'slak'; configured: team"),
        (
            "title: x\nsections:\n  - family: quality\n    metrics: [coverage_ratio]\n",
            "reports/test.yml:4:15: sections[0].metrics[0]: unknown metric 'coverage_ratio'; see docs/metrics.md"
        ),
        (
            "title: x\nsections:\n  - family: speed\n    metrics: []\n",
            "reports/test.yml:3:13: sections[0].family: 'speed' is not allowed; allowed: quality, stability, velocity"
        ),
        (
            "title: x\nsections:\n  - family: quality\n    metrics:\n      - metric: code_markers\n        good: 1\n",
            "reports/test.yml:5:9: sections[0].metrics[0]: thresholds need better, good, warn and bad together; missing better, warn, bad"
        ),
        (
            "title: x\nsections:\n  - family: quality\n    metrics:\n      - metric: code_markers\n        better: lower\n        good: 10\n        warn: 5\n        bad: 20\n",
            "reports/test.yml:8:15: sections[0].metrics[0].warn: with better: lower the thresholds must be good < warn < bad; found good 10.0, warn 5.0, bad 20.0"
        ),
        (
            "title: x\nsections:\n  - family: quality\n    metrics:\n      - metric: code_markers\n        better: lower\n        good: none\n        warn: 5\n        bad: 20\n",
            "reports/test.yml:7:15: sections[0].metrics[0].good: 'none' is not a number; give one such as 12, 0.8 or 80%"
        ),
        ("sections: []\n", "reports/test.yml:1:1: top level: missing key 'title'"),
        ("title: [x\n", "reports/test.yml:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at 1:8)"),
    ]

    @Test(arguments: errors)
    func mistakesArePositioned(text: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try parse(text) }
        #expect(error?.description == message)
    }

    @Test func percentagesAreRatios() throws {
        let definition = try parse(
            "title: x\nsections:\n  - family: quality\n    metrics:\n      - {metric: coverage_lines_ratio, better: higher, good: 80%, warn: 0.7, bad: 50%}\n"
        )
        #expect(definition.sections[0].metrics[0].threshold == MetricThreshold(better: .higher, good: 0.8, warn: 0.7, bad: 0.5))
    }

    /// Both directions: 100 at or past good, 50 at warn, 0 at or past bad, linear between.
    @Test(arguments: [
        (MetricThreshold.Direction.higher, 0.9, 100.0, MetricThreshold.Grade.good), (.higher, 0.8, 100, .good), (.higher, 0.75, 75, .warn),
        (.higher, 0.7, 50, .warn), (.higher, 0.6, 25, .bad), (.higher, 0.5, 0, .bad), (.higher, 0.1, 0, .bad),
        (.lower, 0, 100, .good), (.lower, 2.5, 75, .warn), (.lower, 5, 50, .warn), (.lower, 12.5, 25, .bad), (.lower, 20, 0, .bad),
        (.lower, 99, 0, .bad),
    ])
    func thresholdsGradeAndScore(direction: MetricThreshold.Direction, value: Double, score: Double, grade: MetricThreshold.Grade) {
        let threshold =
            direction == .higher
            ? MetricThreshold(better: .higher, good: 0.8, warn: 0.7, bad: 0.5) : MetricThreshold(better: .lower, good: 0, warn: 5, bad: 20)
        #expect(abs(threshold.score(value) - score) < 1e-9)
        #expect(threshold.grade(value) == grade)
    }

    @Test func calendarPeriodsAreLocalDaysAndWeeks() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // Wednesday 2026-11-25, 00:30 in Berlin.
        let now = RFC3339.parse("2026-11-24T23:30:00Z")!
        let day = ReportPeriodSpec.previousDay.period(now: now, timeZone: berlin)
        #expect(day == Period(from: RFC3339.parse("2026-11-24T00:00:00+01:00")!, to: RFC3339.parse("2026-11-25T00:00:00+01:00")!))
        let week = ReportPeriodSpec.previousWeek.period(now: now, timeZone: berlin)
        #expect(week == Period(from: RFC3339.parse("2026-11-16T00:00:00+01:00")!, to: RFC3339.parse("2026-11-23T00:00:00+01:00")!))
        // Across the end of daylight saving time (2026-10-25), a week back is still midnight to midnight.
        let lastWeek = ReportComparison.samePeriodLastWeek.period(
            of: Period(from: RFC3339.parse("2026-10-26T00:00:00+01:00")!, to: RFC3339.parse("2026-10-27T00:00:00+01:00")!), timeZone: berlin)
        #expect(lastWeek == Period(from: RFC3339.parse("2026-10-19T00:00:00+02:00")!, to: RFC3339.parse("2026-10-20T00:00:00+02:00")!))
    }
}
