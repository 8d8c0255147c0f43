public import VitalsCore

/// One evaluation round of the alerting service: every group due at `now` is evaluated, each alerting rule's result
/// drives its ``AlertStateMachine`` under the silences and mute windows in force, and the round is committed in one
/// transaction.
///
/// The rules are prepared once (expressions parsed, lookbacks worked out); `now` and the stores are arguments, so the
/// same value can run many rounds, and nothing here reads the clock.
public struct AlertEvaluationRound: Sendable {
    struct PreparedGroup: Sendable {
        let name: String
        let interval: TimeSpan
        let queryOffset: TimeSpan
        let rules: [PreparedAlertRule]
    }

    let groups: [PreparedGroup]
    let muteWindows: [MuteWindow]

    /// Prepares `files`. Group names must be unique across the files and alert names unique in a group, since they key the
    /// stored state; recording rules are skipped (the service does not record series).
    public init(
        files: [RuleFile], muteWindows: [MuteWindow] = [], defaultInterval: TimeSpan = .minutes(1), lookback: LookbackPolicy = LookbackPolicy()
    ) throws(RuleFileError) {
        var groups: [PreparedGroup] = []
        var groupPositions: [String: SourcePosition] = [:]
        for file in files {
            for group in file.groups {
                if let earlier = groupPositions[group.name] {
                    throw RuleFileError(
                        at: group.position, "group name '\(group.name)' is also used at \(earlier); alert state is kept by group name, so rename one")
                }
                groupPositions[group.name] = group.position
                var rules: [PreparedAlertRule] = []
                var rulePositions: [String: SourcePosition] = [:]
                for rule in group.rules where rule.kind == .alert {
                    if let earlier = rulePositions[rule.name] {
                        throw RuleFileError(
                            at: rule.position, "alert '\(rule.name)' is defined twice in group '\(group.name)'; the first is at \(earlier)")
                    }
                    rulePositions[rule.name] = rule.position
                    rules.append(try PreparedAlertRule(rule, group: group, lookback: lookback))
                }
                groups.append(
                    PreparedGroup(
                        name: group.name, interval: group.interval ?? defaultInterval, queryOffset: group.queryOffset ?? TimeSpan(milliseconds: 0),
                        rules: rules))
            }
        }
        self.groups = groups
        self.muteWindows = muteWindows
    }

    /// The number of alerting rules prepared.
    public var ruleCount: Int { groups.reduce(0) { $0 + $1.rules.count } }

    /// Evaluates the groups due at `now` (never evaluated, or last evaluated at least their interval ago) and commits.
    ///
    /// A rule whose expression fails at evaluation (such as ambiguous vector matching) keeps its state and reports the
    /// error; a store error aborts the round before anything is written.
    public func run(at now: Timestamp, metrics: any MetricStore, alerts: any AlertStore) throws -> AlertRoundResult {
        let evaluations = try alerts.groupEvaluations()
        let states = try alerts.alertStates()
        let muting = AlertMuting(silences: try alerts.silences(notEndedAt: now), muteWindows: muteWindows)
        let querier = StoreSeriesQuerier(store: metrics)
        var result = AlertRoundResult(now: now)
        var record = AlertRoundRecord(evaluatedAt: now, groups: [], rules: [])
        var due: [PreparedGroup] = []
        for group in groups {
            if let last = evaluations[group.name], now.milliseconds - last.milliseconds < group.interval.milliseconds {
                result.notDue.append(AlertRoundResult.NotDueGroup(group: group.name, dueAt: last.adding(group.interval)))
            } else {
                due.append(group)
            }
        }
        try querier.prefetch(due.flatMap { group in group.rules.flatMap { $0.windows(at: now.subtracting(group.queryOffset)) } })
        for group in due {
            result.evaluated.append(group.name)
            record.groups.append(group.name)
            for rule in group.rules {
                let state = states[rule.id] ?? .initial
                var outcome = AlertRoundResult.RuleOutcome(rule: rule.id)
                let observed: AlertConditions
                do {
                    observed = try rule.observe(at: now.subtracting(group.queryOffset), now: now, known: state.instances.map(\.labels), querier: querier)
                } catch {
                    try querier.checkForErrors()
                    outcome.error = error
                    result.rules.append(outcome)
                    continue
                }
                try querier.checkForErrors()
                let evaluation = AlertStateMachine(rule.settings).evaluate(state, observed.input, muting: muting)
                outcome.transitions = evaluation.transitions
                outcome.notifications = evaluation.notifications.map {
                    QueuedNotification($0, summary: rule.summary(of: $0, sampleLabels: observed.sampleLabels[$0.labels]))
                }
                outcome.held = evaluation.held
                outcome.noData = observed.input.noData.sorted()
                record.rules.append(
                    AlertRoundRecord.RuleRecord(
                        rule: rule.id, state: evaluation.state, instancesChanged: evaluation.state.instances != state.instances,
                        transitions: evaluation.transitions, notifications: outcome.notifications))
                result.rules.append(outcome)
            }
        }
        if !record.groups.isEmpty { try alerts.commit(record) }
        return result
    }
}
