import Foundation
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsStore

/// `vitals report --format json` end to end (the release binary) over 200 series × 90 days at 5-minute resolution.
struct ReportBenchmark {
    let folder: URL
    let days = 90
    let step: Int64 = 300_000
    let now = RFC3339.parse("2026-11-25T08:00:00Z")!

    /// 200 series of metrics the report shows: events (commits), and gauges (coverage, markers, findings).
    func descriptors() -> [SeriesDescriptor] {
        (0..<50).flatMap { index -> [SeriesDescriptor] in
            let repo = "repo\(index)"
            return [
                SeriesDescriptor(SeriesKey("git_commits", ["repo": repo]), kind: .event, unit: .count),
                SeriesDescriptor(SeriesKey("coverage_lines_ratio", ["repo": repo]), kind: .gauge, unit: .ratio),
                SeriesDescriptor(SeriesKey("code_markers", ["repo": repo, "kind": "todo"]), kind: .gauge, unit: .count),
                SeriesDescriptor(SeriesKey("security_findings", ["repo": repo, "level": "error"]), kind: .gauge, unit: .count),
            ]
        }
    }

    /// Writes the samples into `store`, five days a write; returns how many.
    func fill(_ store: any MetricStore) async throws -> Int {
        let descriptors = descriptors()
        let start = now.milliseconds - Int64(days) * 86_400_000
        let pointsPerSeries = Int(Int64(days) * 86_400_000 / step)
        var written = 0
        for dayChunk in stride(from: 0, to: pointsPerSeries, by: 288 * 5) {
            var samples: [Sample] = []
            for point in dayChunk..<min(dayChunk + 288 * 5, pointsPerSeries) {
                let timestamp = Timestamp(milliseconds: start + Int64(point) * step)
                for (index, descriptor) in descriptors.enumerated() {
                    let value = descriptor.unit == .ratio ? 0.5 + Double((point + index) % 100) / 400 : Double((point * 31 + index) % 7)
                    samples.append(Sample(descriptor, at: timestamp, value: value))
                }
            }
            written += try await store.write(samples)
        }
        // As a collection run ends: the SQLite store's write-ahead log goes into the file, so the reports read a store at rest.
        try await store.checkpoint()
        return written
    }

    func run() async throws {
        let storePath = folder.appendingPathComponent("report.db").path
        let store = try await SQLiteMetricStore(path: storePath, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        var written = 0
        let fill = try await measureAsync(runs: 1) { written = try await self.fill(store) }.best
        print("report: store of \(descriptors().count) series × \(days) days at 5-minute resolution = \(written) samples (filled in \(format(fill, 1)) s)")
        // Read before the copy below: closing the copy's descriptor drops this process's SQLite locks on the file, and a later
        // read here finds the store damaged.
        let utc = TimeZone(identifier: "UTC")!
        let yearReport = try await ReportBuilder.build(
            store: store, period: Period.since(.days(365), now: now, timeZone: utc), now: now, timeZone: utc, sources: [])
        // Keeps a copy of the filled store for profiling `vitals report` by hand.
        if let keep = ProcessInfo.processInfo.environment["VITALS_BENCH_REPORT_KEEP"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: storePath, toPath: keep)
        }
        let config = folder.appendingPathComponent("vitals.yml")
        try "time_zone: UTC\nsources: []\n".write(to: config, atomically: true, encoding: .utf8)
        let binary = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("vitals").path
        var results: [String: Double] = [:]
        for span in ["30d", "365d"] {
            let arguments = ["report", "--since", span, "--format", "json", "--now", now.description, "--config", config.path, "--store", storePath]
            let bytes = try runProgram(binary, arguments, capture: true).count
            let time = try measure(runs: 15) { try spawnProgram(binary, arguments) }
            results[span] = time.median
            line("  vitals report --since \(span) --format json", "\(format(time.median, 3)) s median, \(format(time.best, 3)) s best (\(bytes) bytes)")
        }
        line("  target: 30d under 1 s; 365d/30d ratio (target ≤ 2.0)", format(results["365d"]! / results["30d"]!))
        try renderInProcess(yearReport)
    }

    /// The 365-day report's JSON rendered in-process, by ``JSONRenderer`` and by Foundation's `JSONEncoder` with the same
    /// options (the reference, what the renderer used before), taking turns: the times and whether the bytes are the same.
    func renderInProcess(_ report: Report) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var texts = (foundation: "", renderer: "")
        var times = (foundation: [Double](), renderer: [Double]())
        for _ in 0..<9 {
            let foundation = try measure(runs: 1) { texts.foundation = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n" }
            let renderer = try measure(runs: 1) { texts.renderer = try JSONRenderer().render(report) }
            times.foundation.append(foundation.best)
            times.renderer.append(renderer.best)
        }
        let medians = (foundation: times.foundation.sorted()[4], renderer: times.renderer.sorted()[4])
        line("  365d JSON in-process: Foundation's JSONEncoder", "\(format(medians.foundation * 1000, 1)) ms median of 9")
        line(
            "  365d JSON in-process: JSONRenderer",
            "\(format(medians.renderer * 1000, 1)) ms median of 9, \(format(medians.foundation / medians.renderer, 1))× faster; "
                + "same bytes: \(texts.foundation == texts.renderer) (\(texts.renderer.utf8.count))")
    }
}
