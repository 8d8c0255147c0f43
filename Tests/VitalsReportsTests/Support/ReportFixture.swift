import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsStore

/// Where a test's store lives: in memory, or in a SQLite file in a temp folder.
enum StoreLocation: String, CaseIterable, CustomTestStringConvertible {
    case memory
    case disk

    var testDescription: String { rawValue }
}

/// A real SQLite store in Europe/Berlin with a week of known data, the sources' runs, and a fixed `now`.
///
/// The report week is 2026-11-19 to 2026-11-25 (local); the previous week 2026-11-12 to 2026-11-18.
final class ReportFixture {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let now = RFC3339.parse("2026-11-25T09:00:00Z")!
    static let period = Period.since(.days(7), now: now, timeZone: berlin)
    static let sources = [
        SourceConfig(name: "git", type: .git), SourceConfig(name: "coverage", type: .coverage),
        SourceConfig(name: "sarif", type: .sarif), SourceConfig(name: "markers", type: .markers),
    ]

    let store: SQLiteMetricStore
    private let folder: URL?

    init(_ location: StoreLocation) async throws {
        switch location {
        case .memory:
            folder = nil
            store = try await SQLiteMetricStore.inMemory(timeZone: Self.berlin, retention: .days(400))
        case .disk:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-reports-\(UUID().uuidString)")
            self.folder = folder
            store = try await SQLiteMetricStore(path: folder.appendingPathComponent("vitals.db").path, timeZone: Self.berlin, retention: .days(400))
        }
    }

    deinit {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Local midnight of a November 2026 day in Berlin (UTC+1), plus `hours`.
    static func november(_ day: Int, hours: Int64 = 0) -> Timestamp {
        Timestamp(milliseconds: RFC3339.parse("2026-11-\(day < 10 ? "0" : "")\(day)T00:00:00+01:00")!.milliseconds + hours * 3_600_000)
    }

    /// Writes the full data set: git events and authors, coverage gauges, markers; sarif's run failed and markers' is stale.
    func writeFullData() async throws {
        let repo: Labels = ["repo": "vitals"]
        var samples: [Sample] = []
        for (day, commits) in [(13, 4.0), (19, 2), (20, 0), (22, 3), (25, 1)] {
            samples.append(Sample("git_commits", repo, kind: .event, at: Self.november(day), value: commits))
        }
        for (author, day, commits) in [("a@x.org", 19, 1.0), ("a@x.org", 22, 2), ("b@x.org", 22, 1), ("b@x.org", 25, 1), ("c@x.org", 13, 4)] {
            samples.append(Sample("git_author_commits", repo.setting("author", to: author), kind: .event, at: Self.november(day), value: commits))
        }
        for (day, hours, value) in [(15, 9, 0.79), (20, 9, 0.80), (24, 9, 0.812)] as [(Int, Int64, Double)] {
            samples.append(Sample("coverage_lines_ratio", repo, kind: .gauge, unit: .ratio, at: Self.november(day, hours: hours), value: value))
        }
        samples.append(Sample("coverage_branches_ratio", repo, kind: .gauge, unit: .ratio, at: Self.november(14, hours: 9), value: 0.5))
        samples.append(Sample("coverage_lines_valid", repo, kind: .gauge, at: Self.november(24, hours: 9), value: 12_345))
        samples.append(Sample("code_markers", repo.setting("kind", to: "todo"), kind: .gauge, at: Self.november(24, hours: 9), value: 7))
        try await store.write(samples)
        try await record("git", at: RFC3339.parse("2026-11-25T08:45:00Z")!, samples: 9)
        try await record("coverage", at: RFC3339.parse("2026-11-25T08:30:00Z")!, samples: 2)
        try await record("markers", at: RFC3339.parse("2026-11-24T08:00:00Z")!, samples: 4)
        try await record("sarif", at: RFC3339.parse("2026-11-25T08:50:00Z")!, error: "results.sarif: not JSON at byte 12")
    }

    /// Records a run of `source`: failed when it has an `error`, unless `status` says otherwise (skipped).
    func record(_ source: String, at finished: Timestamp, samples: Int = 0, error: String? = nil, status: JobRun.Status? = nil) async throws {
        try await store.recordJobRun(
            JobRun(
                source: source, started: Timestamp(milliseconds: finished.milliseconds - 1000), finished: finished,
                status: status ?? (error == nil ? .ok : .failed), error: error, samplesWritten: samples))
    }
}
