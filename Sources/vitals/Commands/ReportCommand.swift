import ArgumentParser
import Foundation
import VitalsCollectors
import VitalsCore
import VitalsNotify
import VitalsPorts
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

            With --send, the named report is also queued in the outbox for the CHANNELs given (else the definition's \
            channels:, else the default channels of vitals.yml) and delivered at once; what cannot be delivered yet is \
            retried by `vitals outbox flush` or the daemon. A report is queued once per period (its key is the name and \
            the period): a second --send for the same period sends nothing new, unless --force.
              vitals report daily --send                  to the definition's or the default channels
              vitals report daily --send slack-ops        to one channel
              vitals report weekly --send --force         again, though this week's was sent
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

    @Flag(help: "Queue the named report in the outbox and deliver it (to the CHANNELs after --send, if any).")
    var send = false

    @Argument(help: ArgumentHelp("With --send: the channels to send to, as vitals.yml names them.", valueName: "channel"))
    var channels: [String] = []

    @Flag(help: "With --send: send the report again though this period's was already queued.")
    var force = false

    func validate() throws {
        do {
            let format = try ReportFormat(parsing: format)
            if name == nil, format.renderer == nil {
                throw ValidationError("--format \(format.rawValue) needs a report name, such as: vitals report daily --format \(format.rawValue)")
            }
        } catch let error as ReportFormatError {
            throw ValidationError(error.description)
        }
        if send, name == nil { throw ValidationError("--send needs a report name, such as: vitals report daily --send") }
        if !channels.isEmpty, !send { throw ValidationError("channels are given after --send, as in: vitals report daily --send slack-ops") }
        if force, !send { throw ValidationError("--force goes with --send") }
        if name != nil, period.since != nil || period.from != nil {
            throw ValidationError("a named report takes its period from its definition; leave out --since and --from")
        }
    }

    func run() async throws {
        let workspace = try await Workspace(global, access: noCollect && !send ? .read : .readWrite)
        let timeZone = workspace.config.timeZone
        // Before collecting, so a period that is not allowed is refused before any work.
        let definition = try name.map { try Self.definition(named: $0, in: workspace) }
        let period = try definition?.period.period(now: workspace.now, timeZone: timeZone)
            ?? self.period.period(now: workspace.now, timeZone: timeZone, defaultSpan: .days(7))
        if !noCollect {
            var due: [any Collector] = []
            for collector in try workspace.collectors() {
                let last = try await workspace.store.jobRuns(source: collector.source, limit: 1).first
                if let last, last.status != .failed, workspace.now < last.started.adding(collector.interval) { continue }
                due.append(collector)
            }
            let progress = ProgressLine()
            _ = try await CollectionRunner(store: workspace.store, sources: workspace.config.sources).run(
                due, now: workspace.now, timeZone: timeZone, progress: { progress.show("collecting \($0)…") })
            progress.clear()
        }
        let format = try ReportFormat(parsing: format)
        let text: String
        if let definition {
            let digest = try await DigestBuilder.build(
                definition: definition, store: workspace.store, alerts: workspace.store, outbox: workspace.store, now: workspace.now,
                timeZone: timeZone,
                sources: workspace.config.sources)
            text = try (try Self.template(named: definition.name, format: format, in: workspace) ?? format.digestRenderer).render(digest)
            try archive(text, name: definition.name, format: format, workspace: workspace)
            if send { try await self.send(digest, definition: definition, period: period, workspace: workspace) }
        } else {
            let report = try await ReportBuilder.build(
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

    /// Queues `digest`, rendered in every format, for the channels asked for, and delivers what is due. Prints what happened
    /// on standard error (standard output has the report); fails when a delivery of it was dead-lettered.
    func send(_ digest: Digest, definition: ReportDefinition, period: Period, workspace: Workspace) async throws {
        let targets = channels.isEmpty ? definition.channels : channels
        let unknown = workspace.config.unknownChannels(targets)
        guard unknown.isEmpty else {
            let defined = workspace.config.channels.map(\.name)
            throw CommandFailure(
                "no channel named \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in vitals.yml; "
                    + (defined.isEmpty ? "it defines none" : "defined: \(defined.joined(separator: ", "))"))
        }
        if targets.isEmpty, !workspace.config.channels.contains(where: \.isDefault) {
            throw CommandFailure(
                "nowhere to send the report: name channels after --send, list them under channels: in the report's definition, "
                    + "or mark one default: true in vitals.yml")
        }
        var bodies: [String: String] = [:]
        for format in ReportFormat.allCases {
            bodies[format.rawValue] = try (try Self.template(named: definition.name, format: format, in: workspace) ?? format.digestRenderer).render(digest)
        }
        bodies[LookAtTasks.bodyKey] = try await Self.lookAtTasks(digest, period: period, store: workspace.store).json
        let outbox = try OutboxWorkspace(workspace)
        let key = "report:\(definition.name)@\(period.from)/\(period.to)"
        let queued = try await outbox.outbox.enqueue(
            key: key, payload: .report(ReportMessage(name: definition.name, title: digest.title, bodies: bodies)), channels: targets,
            at: OutboxWorkspace.now(), force: force)
        let summary = try await outbox.exclusively { try await outbox.dispatcher.dispatchDue() }
        let note =
            queued == nil
            ? "\(key) was already queued; nothing new to send (--force sends it again)\n"
            : "queued \(key) for \(targets.isEmpty ? "the default channels" : targets.joined(separator: ", "))\n"
        FileHandle.standardError.write(Data((note + OutboxWorkspace.text(summary)).utf8))
        let dead = summary.dead.filter { $0.key == key }
        if !dead.isEmpty { throw CommandFailure("the report could not be delivered to \(dead.map(\.channel).joined(separator: ", "))") }
    }

    /// The digest's "what to look at" items for the improvement-task channels, counted on from the previous report of its
    /// name, whose items the store keeps (source state `report:NAME`) so the count survives restarts.
    static func lookAtTasks(_ digest: Digest, period: Period, store: any SourceStateStore) async throws -> LookAtTasks {
        let owner = "report:\(digest.name)"
        let previous = try await store.sourceState(of: owner)[LookAtTasks.bodyKey].flatMap(LookAtTasks.init(json:))
        let items = digest.lookAt.map { item in
            LookAtTasks.Item(
                fingerprint: item.fingerprint, title: "\(item.name): \(item.valueText), \(item.grade.rawValue)",
                text: "\(item.summary)\n\n\(item.recommendation)", score: item.score)
        }
        let tasks = LookAtTasks.counting(items, report: digest.name, period: "\(period.from)/\(period.to)", after: previous)
        try await store.setSourceState([LookAtTasks.bodyKey: tasks.json], of: owner)
        return tasks
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
