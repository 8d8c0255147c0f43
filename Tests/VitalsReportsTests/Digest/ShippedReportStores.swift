import Foundation
import VitalsCore
import VitalsReports
import VitalsStore

/// The shipped report definitions, and stores to build them on: empty, large (many repositories, every shown metric,
/// long labels, hundreds of alerts), so renderers meet their limits, and one whose values are not finite.
enum ShippedReportStores {
    static let metrics = Set(MetricCatalog.standard.metrics.map(\.name))

    static func definitions() throws -> [ReportDefinition] {
        try ReportDefinition.builtIn.keys.sorted().map { name in
            try ReportDefinitionLoader.parse(ReportDefinition.builtIn[name]!, name: name, file: name, metrics: metrics, channels: [])
        }
    }

    /// 60 repositories × every shown metric over 60 days, with a breakdown label on each series that has one.
    static func large() async throws -> ReportFixture {
        let fixture = try await ReportFixture(.memory)
        var samples: [Sample] = []
        for index in 0..<60 {
            let repo: Labels = ["repo": "acme/service-with-a-rather-long-name-\(index)"]
            for day in 0..<60 {
                let at = Timestamp(milliseconds: ReportFixture.now.milliseconds - Int64(day) * 86_400_000 - 3_600_000)
                let wave = Double((day * 7 + index) % 11)
                for metric in ["git_commits", "git_merges", "git_lines_added", "git_lines_deleted", "git_files_changed"] {
                    samples.append(Sample(metric, repo, kind: .event, at: at, value: wave))
                }
                samples.append(Sample("git_author_commits", repo.setting("author", to: "dev\(day % 5)@acme.example"), kind: .event, at: at, value: 1))
                for metric in ["coverage_lines_ratio", "coverage_branches_ratio", "coverage_functions_ratio"] {
                    samples.append(Sample(metric, repo, kind: .gauge, unit: .ratio, at: at, value: 0.4 + wave / 30))
                }
                samples.append(Sample("coverage_lines_covered", repo, kind: .gauge, at: at, value: 400 + wave * 10))
                samples.append(Sample("coverage_lines_valid", repo, kind: .gauge, at: at, value: 1000))
                for level in ["error", "warning", "note"] {
                    samples.append(Sample("security_findings", repo.setting("level", to: level), kind: .gauge, at: at, value: wave))
                    samples.append(Sample("security_findings_new", repo.setting("level", to: level), kind: .gauge, at: at, value: wave / 2))
                }
                for severity in ["critical", "high", "medium", "low"] {
                    samples.append(Sample("security_findings", repo.setting("severity", to: severity), kind: .gauge, at: at, value: wave))
                }
                for kind in ["todo", "fixme", "hack", "xxx"] {
                    samples.append(Sample("code_markers", repo.setting("kind", to: kind), kind: .gauge, at: at, value: wave * 9))
                }
            }
        }
        try await fixture.store.write(samples)
        return fixture
    }

    /// Every metric of the catalogue over ten days in two repositories, its values +∞, −∞ and 1 in turn (a Prometheus query
    /// dividing by zero gives such values; sums and counts past the range of a double do too).
    static func nonFinite() async throws -> ReportFixture {
        let fixture = try await ReportFixture(.memory)
        let values: [Double] = [.infinity, -.infinity, 1]
        var samples: [Sample] = []
        for (index, repo) in ["acme/a", "acme/b"].enumerated() {
            for metric in MetricCatalog.standard.metrics {
                var labels: Labels = ["repo": repo]
                for label in metric.labels where label != "repo" { labels = labels.setting(label, to: "x") }
                for day in 0..<10 {
                    let at = Timestamp(milliseconds: ReportFixture.now.milliseconds - Int64(day) * 86_400_000 - 3_600_000)
                    samples.append(Sample(metric.name, labels, kind: metric.kind, unit: metric.unit, at: at, value: values[(day + index) % 3]))
                }
            }
        }
        try await fixture.store.write(samples)
        return fixture
    }

    /// 300 alerts firing and 300 resolved in the last days, with long labels.
    static let manyAlerts = ReportAlerts(
        firing: (0..<300).map { index in
            ReportAlertSpan(
                rule: "quality/CoverageBelowTheTeamAgreedThreshold\(index)", labels: ["repo": "acme/service-with-a-rather-long-name-\(index)"],
                severity: "critical", firedAt: Timestamp(milliseconds: ReportFixture.now.milliseconds - Int64(index) * 60_000), resolvedAt: nil)
        },
        history: (0..<300).map { index in
            let fired = ReportFixture.now.milliseconds - 86_400_000 + Int64(index) * 60_000
            return ReportAlertSpan(
                rule: "velocity/CommitsFell\(index)", labels: ["repo": "acme/service-\(index)"], severity: "warning",
                firedAt: Timestamp(milliseconds: fired), resolvedAt: Timestamp(milliseconds: fired + 30_000))
        },
        deadLetters: (0..<300).map { index in
            ReportDeadLetter(
                channel: "slack-channel-\(index % 7)", key: "report:daily@\(index)", message: "report Daily digest <&> · 2026-11-\(index % 28 + 1)",
                error: "400: invalid_blocks " + String(repeating: "the receiver explains at length ", count: 20), attempts: index % 11,
                deadAt: Timestamp(milliseconds: ReportFixture.now.milliseconds - Int64(index) * 60_000))
        }, deadLettersSince: Timestamp(milliseconds: ReportFixture.now.milliseconds - 86_400_000))

    static func digest(_ definition: ReportDefinition, store: ReportFixture, alerts: ReportAlerts?) async throws -> Digest {
        try await DigestBuilder.build(
            definition: definition, store: store.store, now: ReportFixture.now, timeZone: ReportFixture.berlin, sources: ReportFixture.sources,
            alerts: alerts)
    }

    /// Every shipped definition on the empty and on the large store, named for messages; built once for all the tests.
    static func allDigests() async throws -> [(String, Digest)] {
        try await built.value
    }

    private static let built = Task { try await buildAll() }

    private static func buildAll() async throws -> [(String, Digest)] {
        let empty = try await ReportFixture(.memory)
        let large = try await large()
        let nonFinite = try await nonFinite()
        var digests: [(String, Digest)] = []
        for definition in try definitions() {
            digests.append(("\(definition.name) on an empty store", try await digest(definition, store: empty, alerts: nil)))
            digests.append(("\(definition.name) on a large store", try await digest(definition, store: large, alerts: manyAlerts)))
            digests.append(("\(definition.name) on a store of values that are not finite", try await digest(definition, store: nonFinite, alerts: nil)))
        }
        return digests
    }
}
