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
    default:
        FileHandle.standardError.write(
            Data("unknown benchmark '\(name)'; choose from ingest, report, digest, git, rules-test, alerts, alerts-daemon, schedule, dispatch, api, github\n".utf8))
        exit(2)
    }
}
