import ArgumentParser
import Foundation
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsStore

/// `vitals query`: prints stored samples, the metrics the store holds, or the job-run log.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print stored samples of a metric, the metrics in the store, or the log of collection runs.",
        discussion: """
            Examples:
              vitals query                                         metrics in the store, and each source's last run
              vitals query git_commits --since 7d                  daily commit counts of the last 7 days
              vitals query git_authors --since 30d                 distinct authors per day and in the 30 days, as the report counts them
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

    func run() async throws {
        let workspace = try await Workspace(global, access: .read)
        let printer = QueryPrinter(format: format, timeZone: workspace.config.timeZone)
        if runs {
            print(try printer.runs(await workspace.store.jobRuns(source: nil, limit: 200)), terminator: "")
            return
        }
        guard let metric else {
            let series = try await workspace.store.series(named: nil)
            print(try printer.catalog(series, runs: await workspace.store.jobRuns(source: nil, limit: 500)), terminator: "")
            return
        }
        let filter = try labelFilter()
        let period = try self.period.period(now: workspace.now, timeZone: workspace.config.timeZone, defaultSpan: .days(7))
        let stored = Set(try await workspace.store.series(named: nil).map(\.key.name))
        let known = stored.union(MetricCatalog.standard.metrics.map(\.name)).union([CollectionRunner.upMetric]).sorted()
        guard known.contains(metric) else {
            throw ValidationError(
                "unknown metric '\(metric)'\(Suggestion.hint(for: metric, in: known)); docs/metrics.md lists every metric, "
                    + "`vitals query` the ones in the store")
        }
        let results = try await series(metric, matching: filter, in: period, store: workspace.store, timeZone: workspace.config.timeZone)
        guard !results.isEmpty else {
            let hint =
                stored.isEmpty ? "the store is empty; run `vitals collect` first" : "metrics in the store: \(stored.sorted().joined(separator: ", "))"
            throw CommandFailure("no series named \(metric)\(filter.isEmpty ? "" : " with labels \(Labels(filter))"); \(hint)")
        }
        print(try printer.samples(results, period: period), terminator: "")
    }

    /// The stored series of `metric` with labels `filter` and their samples in `period`; for a metric the report derives
    /// (`git_authors`), the report's own rows: one value per local day, and the period's value.
    func series(
        _ metric: String, matching filter: [String: String], in period: Period, store: any MetricStore, timeZone: TimeZone
    ) async throws -> [QueryPrinter.Series] {
        func matches(_ labels: Labels) -> Bool { filter.allSatisfy { labels[$0.key] == $0.value } }
        guard let definition = MetricCatalog.standard[metric], case .distinctSeries = definition.derivation else {
            let matching = try await store.series(named: metric).filter { matches($0.key.labels) }
            let points = try await store.samples(of: matching.map(\.key), in: period)
            return zip(matching, points).map { .init(descriptor: $0, points: $1) }
        }
        let buckets = period.dayBuckets(in: timeZone)
        return try await ReportBuilder.rows(of: definition, store: store, period: period, timeZone: timeZone).filter { matches($0.labels) }.map { row in
            .init(
                descriptor: SeriesDescriptor(SeriesKey(metric, row.labels), kind: definition.kind, unit: definition.unit),
                points: zip(buckets, row.daily).compactMap { start, value in value.map { SamplePoint(start, $0) } },
                periodValue: row.value)
        }
    }
}

enum QueryFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case csv
}
