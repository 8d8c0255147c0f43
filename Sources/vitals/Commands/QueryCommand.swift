import ArgumentParser
import Foundation
import VitalsCore
import VitalsStore

/// `vitals query`: prints stored samples, the metrics the store holds, or the job-run log.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print stored samples of a metric, the metrics in the store, or the log of collection runs.",
        discussion: """
            Examples:
              vitals query                                         metrics in the store, and each source's last run
              vitals query git_commits --since 7d                  daily commit counts of the last 7 days
              vitals query security_findings --labels level=error --format csv
              vitals query vitals_source_up --since 1d             1 per successful run, 0 per failed run
              vitals query --runs                                  the job-run log, newest first
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The metric name (omit it to list the metrics in the store).", valueName: "metric"))
    var metric: String?

    @Option(help: ArgumentHelp("Only series with these labels, e.g. level=error,repo=vitals.", valueName: "k=v,..."))
    var labels: String?

    @OptionGroup var period: PeriodOptions

    @Option(help: "Output format: table, json or csv.")
    var format: QueryFormat = .table

    @Flag(help: "Print the job-run log (source, start, status, samples, error) instead of samples.")
    var runs = false

    func validate() throws {
        _ = try labelFilter()
        if runs, metric != nil { throw ValidationError("--runs lists the job-run log; it takes no metric") }
    }

    func labelFilter() throws -> [String: String] {
        var filter: [String: String] = [:]
        for pair in (labels ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--labels: '\(pair)' is not name=value; write e.g. --labels level=error,repo=vitals")
            }
            filter[parts[0]] = parts[1]
        }
        return filter
    }

    func run() throws {
        let workspace = try Workspace(global, access: .read)
        let printer = QueryPrinter(format: format, timeZone: workspace.config.timeZone)
        if runs {
            print(try printer.runs(workspace.store.jobRuns(source: nil, limit: 200)), terminator: "")
            return
        }
        guard let metric else {
            let series = try workspace.store.series(named: nil)
            print(try printer.catalog(series, runs: workspace.store.jobRuns(source: nil, limit: 500)), terminator: "")
            return
        }
        let filter = try labelFilter()
        let period = try period.period(now: workspace.now, timeZone: workspace.config.timeZone, defaultSpan: .days(7))
        let matching = try workspace.store.series(named: metric).filter { descriptor in
            filter.allSatisfy { descriptor.key.labels[$0.key] == $0.value }
        }
        guard !matching.isEmpty else {
            let names = Set(try workspace.store.series(named: nil).map(\.key.name)).sorted()
            let hint = names.isEmpty ? "the store is empty; run `vitals collect` first" : "metrics in the store: \(names.joined(separator: ", "))"
            throw CommandFailure("no series named \(metric)\(filter.isEmpty ? "" : " with labels \(Labels(filter))"); \(hint)")
        }
        let results = try matching.map { ($0, try workspace.store.samples(of: $0.key, in: period)) }
        print(try printer.samples(results), terminator: "")
    }
}

enum QueryFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}
