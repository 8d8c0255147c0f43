import ArgumentParser
import Foundation
import VitalsCollectors
import VitalsCore
import VitalsReports
import VitalsStore

/// `vitals report`: the health report of a period beside the period before it.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print the health report for a period, compared with the period before it.",
        discussion: """
            Sources whose newest run is older than their interval (or failed) are collected first, so the report \
            is current; --no-collect reports on what the store holds.

            For each metric the report shows the value for the period (the last value of a level such as coverage, \
            the sum of events such as commits), the previous period's value, the change, a sparkline of the daily \
            values and how fresh the data is. A failed or stale source is shown as such, never as zero.

            Examples:
              vitals report                               the last 7 days, today included, as Markdown
              vitals report --since 30d --format json     the JSON schema in docs/report.schema.json
              vitals report --from 2026-11-01 --to 2026-11-15 --output report.md
            """
    )

    @OptionGroup var global: GlobalOptions

    @OptionGroup var period: PeriodOptions

    @Option(help: ArgumentHelp("Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: " or ")).", valueName: "format"))
    var format: String = ReportFormat.md.rawValue

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "Do not collect stale sources first; report on what the store holds.")
    var noCollect = false

    func validate() throws {
        do {
            _ = try ReportFormat(parsing: format)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let workspace = try Workspace(global, access: noCollect ? .read : .readWrite)
        let timeZone = workspace.config.timeZone
        // Before collecting, so a period that is not allowed is refused before any work.
        let period = try self.period.period(now: workspace.now, timeZone: timeZone, defaultSpan: .days(7))
        if !noCollect {
            let due = try workspace.collectors().filter { collector in
                guard let last = try workspace.store.jobRuns(source: collector.source, limit: 1).first else { return true }
                return last.status == .failed || last.started.adding(collector.interval) <= workspace.now
            }
            let progress = ProgressLine()
            _ = try await CollectionRunner(store: workspace.store, sources: workspace.config.sources).run(
                due, now: workspace.now, timeZone: timeZone, progress: { progress.show("collecting \($0)…") })
            progress.clear()
        }
        let report = try ReportBuilder.build(
            store: workspace.store, period: period, now: workspace.now, timeZone: timeZone, sources: workspace.config.sources)
        let text = try ReportFormat(parsing: format).renderer.render(report)
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure("cannot write the report to \(output): \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}
