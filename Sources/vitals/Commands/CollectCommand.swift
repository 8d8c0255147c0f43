import Foundation
import ArgumentParser
import VitalsCollectors
import VitalsCore
import VitalsPorts

/// `vitals collect`: runs collectors now and stores their samples.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Run collectors and store their samples.",
        discussion: """
            Runs every configured source, or only the sources or families named (git, coverage, sarif, markers; \
            quality, stability, velocity). Each run is logged; a failing source is reported and the others still run. \
            A source with no input file where it looks by default (no coverage or SARIF file) is skipped, not failed.

            Examples:
              vitals collect                      all sources
              vitals collect git --backfill 365d  a year of git history in one pass
              vitals collect sentry linear --backfill 90d  what Sentry keeps; 90 days of Linear
              vitals collect quality --dry-run    what the code-quality sources would write
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Sources or families to run (default: all).", valueName: "source|family"))
    var sources: [String] = []

    @Option(
        help: ArgumentHelp(
            "Re-read this much history (git; markers' daily counts; github, sentry, linear), e.g. 90d; at most 100y.", valueName: "span"))
    var backfill: String?

    @Flag(help: "Collect and print the counts, but store nothing.")
    var dryRun = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    func validate() throws {
        if let backfill { _ = try parseSpan(backfill, option: "--backfill", atMost: .backfill) }
    }

    func run() async throws {
        let workspace = try await Workspace(global)
        let collectors = try workspace.collectors(named: sources)
        let progress = ProgressLine()
        let span = try backfill.map { try parseSpan($0, option: "--backfill", atMost: .backfill) }
        let outcomes = try await CollectionRunner(store: workspace.store, sources: workspace.config.sources).run(
            collectors, now: workspace.now, timeZone: workspace.config.timeZone, backfill: span, dryRun: dryRun,
            progress: { progress.show("collecting \($0)…") })
        progress.clear()
        switch format {
        case .text: print(CollectionSummary.text(outcomes, dryRun: dryRun), terminator: "")
        case .json: print(try CollectionSummary.json(outcomes, dryRun: dryRun))
        }
        if outcomes.contains(where: { $0.status == .failed }) { throw ExitCode.failure }
    }
}
