import Foundation
import VitalsCollectors
import VitalsCore
import VitalsReports
import VitalsStore

/// The shipped daily report built and rendered in all four formats (Markdown, JSON, Slack, HTML) in-process over 200
/// series × 90 days at 5-minute resolution: 10 repositories with 20 series each, every metric the daily report shows.
struct DigestBenchmark {
    let folder: URL
    let days = 90
    let step: Int64 = 300_000
    let now = RFC3339.parse("2026-11-25T08:00:00Z")!

    func descriptors() -> [SeriesDescriptor] {
        (0..<10).flatMap { index -> [SeriesDescriptor] in
            let repo: Labels = ["repo": "repo\(index)"]
            let events = ["git_commits", "git_merges", "git_lines_added", "git_lines_deleted", "git_files_changed"].map {
                SeriesDescriptor(SeriesKey($0, repo), kind: .event, unit: .count)
            }
            let authors = (0..<3).map {
                SeriesDescriptor(SeriesKey("git_author_commits", repo.setting("author", to: "dev\($0)@x.org")), kind: .event, unit: .count)
            }
            let ratios = ["coverage_lines_ratio", "coverage_branches_ratio", "coverage_functions_ratio"].map {
                SeriesDescriptor(SeriesKey($0, repo), kind: .gauge, unit: .ratio)
            }
            let counts = ["coverage_lines_covered", "coverage_lines_valid"].map { SeriesDescriptor(SeriesKey($0, repo), kind: .gauge, unit: .count) }
            let findings = ["error", "warning", "note"].map {
                SeriesDescriptor(SeriesKey("security_findings", repo.setting("level", to: $0)), kind: .gauge, unit: .count)
            }
            let new = [SeriesDescriptor(SeriesKey("security_findings_new", repo.setting("level", to: "error")), kind: .gauge, unit: .count)]
            let markers = ["todo", "fixme", "hack"].map {
                SeriesDescriptor(SeriesKey("code_markers", repo.setting("kind", to: $0)), kind: .gauge, unit: .count)
            }
            return events + authors + ratios + counts + findings + new + markers
        }
    }

    func run() throws {
        let zone = TimeZone(identifier: "UTC")!
        let store = try SQLiteMetricStore(path: folder.appendingPathComponent("digest.db").path, timeZone: zone, retention: .days(4000))
        let descriptors = descriptors()
        let start = now.milliseconds - Int64(days) * 86_400_000
        let points = Int(Int64(days) * 86_400_000 / step)
        var written = 0
        let fill = try measure(runs: 1) {
            for chunk in stride(from: 0, to: points, by: 288 * 5) {
                var samples: [Sample] = []
                for point in chunk..<min(chunk + 288 * 5, points) {
                    let timestamp = Timestamp(milliseconds: start + Int64(point) * step)
                    for (index, descriptor) in descriptors.enumerated() {
                        let value = descriptor.unit == .ratio ? 0.5 + Double((point + index) % 100) / 400 : Double((point * 31 + index) % 7)
                        samples.append(Sample(descriptor, at: timestamp, value: value))
                    }
                }
                written += try store.write(samples)
            }
            try store.checkpoint()
        }.best
        print(
            "digest: store of \(descriptors.count) series × \(days) days at 5-minute resolution = \(written) samples (filled in \(format(fill, 1)) s)"
        )
        let text = ReportDefinition.builtIn["daily"]!
        let definition = try ReportDefinitionLoader.parse(
            text, name: "daily", file: "daily.yml", metrics: Set(MetricCatalog.standard.metrics.map(\.name)), channels: [])
        let sources = VitalsConfig.localSources(of: SourceRegistry.types)
        var rows = 0
        var bytes: [ReportFormat: Int] = [:]
        func render() throws {
            let digest = try DigestBuilder.build(definition: definition, store: store, now: now, timeZone: zone, sources: sources, alerts: nil)
            rows = digest.sections.reduce(0) { $0 + $1.rows.count }
            for format in ReportFormat.allCases { bytes[format] = try format.digestRenderer.render(digest).utf8.count }
        }
        let build = try measure(runs: 15) {
            _ = try DigestBuilder.build(definition: definition, store: store, now: now, timeZone: zone, sources: sources, alerts: nil)
        }
        let total = try measure(runs: 15, render)
        let sizes = ReportFormat.allCases.map { "\($0.rawValue) \(bytes[$0]!) B" }.joined(separator: ", ")
        line("  daily report, \(rows) rows: build only", "\(format(build.median * 1000, 1)) ms median, \(format(build.best * 1000, 1)) ms best")
        line("  build + md + json + slack + html", "\(format(total.median * 1000, 1)) ms median, \(format(total.best * 1000, 1)) ms best (\(sizes))")
        line("  target: build and all four formats under 300 ms", total.median < 0.3 ? "met" : "NOT met")
    }
}
