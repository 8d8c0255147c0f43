import Foundation
import VitalsCore

// `scripts/bench` builds this in release mode and prints each figure beside its reference, measured in the same run.
let arguments = CommandLine.arguments.dropFirst()
let selected = arguments.isEmpty ? ["ingest", "report", "digest", "git", "rules-test", "alerts", "alerts-daemon"] : Array(arguments)
let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-bench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: workspace) }

for name in selected {
    switch name {
    case "ingest": try await IngestBenchmark(folder: workspace).run()
    case "report": try await ReportBenchmark(folder: workspace).run()
    case "digest": try await DigestBenchmark(folder: workspace).run()
    case "git": try await GitBenchmark(folder: workspace).run()
    case "rules-test": try RulesTestBenchmark(folder: workspace).run()
    case "alerts": try await AlertEvaluationBenchmark(folder: workspace).run()
    case "alerts-daemon": try await DaemonAlertRoundsBenchmark(folder: workspace).run()
    case "schedule": try ScheduleBenchmark().run()
    case "dispatch": try await DispatchBenchmark(folder: workspace).run()
    case "api": try await APIBenchmark(folder: workspace).run()
    case "github": try await GitHubBenchmark(folder: workspace).run()
    case "postgres": try await PostgresBenchmark(folder: workspace).run(PostgresBenchmark.parts)
    case let part where part.hasPrefix("postgres-") && PostgresBenchmark.parts.contains(String(part.dropFirst("postgres-".count))):
        try await PostgresBenchmark(folder: workspace).run([String(part.dropFirst("postgres-".count))])
    // One writer instance of `postgres-instances`, started by it.
    case "postgres-writer":
        try await PostgresBenchmark.writer(index: Int(arguments.last!)!)
        try? FileManager.default.removeItem(at: workspace)
        exit(0)
    default:
        FileHandle.standardError.write(
            Data(
                ("unknown benchmark '\(name)'; choose from ingest, report, digest, git, rules-test, alerts, alerts-daemon, schedule, dispatch, api, github, "
                    + "postgres (or one part: postgres-ingest, postgres-report, postgres-alerts, postgres-instances)\n").utf8))
        exit(2)
    }
}
