import Foundation
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsRules
import VitalsStore

/// What the `alerts` commands work with: the workspace, its store, and the rules prepared for evaluation.
struct AlertsWorkspace {
    let workspace: Workspace

    init(_ options: GlobalOptions, access: StoreAccess = .readWrite) async throws {
        workspace = try await Workspace(options, access: access)
    }

    var store: any StorePorts { workspace.store }

    var now: Timestamp { workspace.now }
    var timeZone: TimeZone { workspace.config.timeZone }

    /// Every `*.yml` and `*.yaml` in the rules folder, in name order, loaded.
    func ruleFiles() throws -> [RuleFile] {
        try RuleFolder.files(config: workspace.config, root: workspace.root).map { path in
            do {
                return try RuleFileLoader.load(contentsOf: path)
            } catch let error as RuleFileError {
                throw PositionedFailure(userMessage: error.description)
            }
        }
    }

    /// Loads the rule files (``ruleFiles()``) and prepares them for one round.
    func oneRound() throws -> AlertEvaluationRound {
        try round(of: ruleFiles(), keepsSamples: false)
    }

    /// Prepares `files` with the configured mute windows and lookbacks, for many rounds unless `keepsSamples` is false
    /// (see ``AlertEvaluationRound/init(files:muteWindows:defaultInterval:lookback:keepsSamples:)``).
    func round(of files: [RuleFile], keepsSamples: Bool = true) throws -> AlertEvaluationRound {
        let muteWindows = try muteWindows()
        do {
            return try AlertEvaluationRound(files: files, muteWindows: muteWindows, lookback: lookback, keepsSamples: keepsSamples)
        } catch {
            throw PositionedFailure(userMessage: error.description)
        }
    }

    /// The configured mute windows; the configuration already checked every value.
    func muteWindows() throws -> [MuteWindow] {
        try workspace.config.muteWindows.map { window in
            do {
                return try MuteWindow(
                    name: window.name, weekdays: window.weekdays.map(WeekdayRange.init(parsing:)),
                    times: window.times.map { try TimeOfDayRange(start: $0.start, end: $0.end) }, location: window.location,
                    matchers: window.matchers.flatMap(SilenceMatcher.parseList))
            } catch {
                throw CommandFailure("mute window '\(window.name)': \(error)")
            }
        }
    }

    /// Twice the collection interval of the source that writes each metric (the longest, if several sources of the type run).
    var lookback: LookbackPolicy {
        let sources = workspace.config.sources
        var byMetric: [String: TimeSpan] = [:]
        for metric in MetricCatalog.standard.metrics {
            let intervals = sources.filter { $0.type == metric.source }.map(\.interval)
            if let longest = intervals.max() { byMetric[metric.name] = TimeSpan(milliseconds: 2 * longest.milliseconds) }
        }
        if let longest = sources.map(\.interval).max() { byMetric[CollectionRunner.upMetric] = TimeSpan(milliseconds: 2 * longest.milliseconds) }
        return LookbackPolicy(byMetric: byMetric)
    }
}

/// An error that already starts with its `file:line:column`, printed as it is.
struct PositionedFailure: UserFacingError {
    let userMessage: String
}
