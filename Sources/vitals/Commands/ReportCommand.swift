import ArgumentParser
import Foundation
import VitalsCollectors
import VitalsCore
import VitalsReports
import VitalsRules
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

            With a NAME, the report defined in reports/NAME.yml (built in: daily, weekly; see docs/reports.md): its \
            period, comparison, sections and thresholds, with a health score, what to look at and the alerts. It is \
            also archived under reports_dir (default .vitals/reports) as DATE-NAME.md|json|slack.json|html. A \
            reports/NAME.md.mustache or reports/NAME.html.mustache template replaces the built-in layout of that format.
              vitals report daily                         yesterday against the same day last week
              vitals report weekly --format html --output weekly.html
              vitals report daily --format slack          the Slack Block Kit messages, as a JSON array
            """
    )

    @Argument(help: ArgumentHelp("A report defined in the reports folder (daily and weekly are built in).", valueName: "name"))
    var name: String?

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
            let format = try ReportFormat(parsing: format)
            if name == nil, format.renderer == nil {
                throw ValidationError("--format \(format.rawValue) needs a report name, such as: vitals report daily --format \(format.rawValue)")
            }
        } catch let error as ReportFormatError {
            throw ValidationError(error.description)
        }
        if name != nil, period.since != nil || period.from != nil {
            throw ValidationError("a named report takes its period from its definition; leave out --since and --from")
        }
    }

    func run() async throws {
        let workspace = try Workspace(global, access: noCollect ? .read : .readWrite)
        let timeZone = workspace.config.timeZone
        // Before collecting, so a period that is not allowed is refused before any work.
        let definition = try name.map { try Self.definition(named: $0, in: workspace) }
        let period = try definition?.period.period(now: workspace.now, timeZone: timeZone)
            ?? self.period.period(now: workspace.now, timeZone: timeZone, defaultSpan: .days(7))
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
        let format = try ReportFormat(parsing: format)
        let text: String
        if let definition {
            let digest = try DigestBuilder.build(
                definition: definition, store: workspace.store, now: workspace.now, timeZone: timeZone, sources: workspace.config.sources)
            text = try (try Self.template(named: definition.name, format: format, in: workspace) ?? format.digestRenderer).render(digest)
            try archive(text, name: definition.name, format: format, workspace: workspace)
        } else {
            let report = try ReportBuilder.build(
                store: workspace.store, period: period, now: workspace.now, timeZone: timeZone, sources: workspace.config.sources)
            text = try format.renderer!.render(report)
        }
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

    /// The definition `name` from the reports folder or the built-in ones; an unknown name lists the known ones.
    static func definition(named name: String, in workspace: Workspace) throws -> ReportDefinition {
        let directory = workspace.root.appendingPathComponent(workspace.config.reportsDirectory).path
        do {
            if let definition = try ReportDefinitionLoader.load(name: name, directory: directory, channels: workspace.config.channels.map(\.name)) {
                return definition
            }
        } catch {
            throw PositionedFailure(userMessage: error.description)
        }
        let known = ReportDefinitionLoader.names(in: directory)
        throw CommandFailure("no report named '\(name)' in \(directory) or built in; known: \(known.joined(separator: ", "))")
    }

    /// The custom template `reports/NAME.FORMAT.mustache` for a format templates may replace, when the folder has one.
    static func template(named name: String, format: ReportFormat, in workspace: Workspace) throws -> TemplateRenderer? {
        guard TemplateRenderer.formats.contains(format) else { return nil }
        let relative = "\(workspace.config.reportsDirectory)/\(name).\(format.rawValue).mustache"
        let path = workspace.root.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text: String
        do {
            text = String(decoding: try RegularFile.read(path, limit: RegularFile.definitionLimit), as: UTF8.self)
        } catch {
            throw CommandFailure("\(relative): \(error.description)")
        }
        do {
            return try TemplateRenderer(text: text, format: format, file: relative)
        } catch {
            throw PositionedFailure(userMessage: error.description)
        }
    }

    /// Writes the report to `reports_dir` as `DATE-NAME.EXT`, DATE the local day of `now`.
    func archive(_ text: String, name: String, format: ReportFormat, workspace: Workspace) throws {
        let folder = workspace.root.appendingPathComponent(workspace.config.archiveDirectory)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = workspace.config.timeZone
        let day = calendar.dateComponents([.year, .month, .day], from: workspace.now.date)
        let date = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
        let file = folder.appendingPathComponent("\(date)-\(name).\(format.fileExtension)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure("cannot archive the report in \(file.path): \(error.localizedDescription)")
        }
    }
}
