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
    ///
    /// The work is spread over the processors: the alert state is read while the samples are, and the rules are evaluated
    /// in contiguous runs side by side (each rule's evaluation depends on its own state only). Results keep rule-file order.
    public func run(at now: Timestamp, metrics: any MetricStore, alerts: any AlertStore) throws -> AlertRoundResult {
        let evaluations = try alerts.groupEvaluations()
        var result = AlertRoundResult(now: now)
        var due: [PreparedGroup] = []
        for group in groups {
            if let last = evaluations[group.name], now.milliseconds - last.milliseconds < group.interval.milliseconds {
                result.notDue.append(AlertRoundResult.NotDueGroup(group: group.name, dueAt: last.adding(group.interval)))
            } else {
                due.append(group)
            }
        }
        let querier = StoreSeriesQuerier(store: metrics)
        let windows = due.flatMap { group in group.rules.flatMap { $0.windows(at: now.subtracting(group.queryOffset)) } }
        let (states, silences) = try Self.readSideBySide(
            { try querier.prefetch(windows) },
            { (try alerts.alertStates(), try alerts.silences(notEndedAt: now)) })
        let muting = AlertMuting(silences: silences, muteWindows: muteWindows)
        let rules = due.flatMap { group in group.rules.map { (group: group, rule: $0) } }
        // A rule costs tens of microseconds: a thread pays for itself from about 64 rules on.
        let evaluated = try ParallelRuns.map(count: rules.count, minimumLength: 64) { run in
            try rules[run].map { group, rule in
                try Self.evaluate(rule, in: group, state: states[rule.id] ?? .initial, now: now, muting: muting, querier: querier)
            }
        }.joined()
        var record = AlertRoundRecord(evaluatedAt: now, groups: due.map(\.name), rules: [])
        result.evaluated = due.map(\.name)
        for (outcome, ruleRecord) in evaluated {
            result.rules.append(outcome)
            if let ruleRecord { record.rules.append(ruleRecord) }
        }
        if !record.groups.isEmpty { try alerts.commit(record) }
        return result
    }

    /// Runs `first` and `second` at once and returns what `second` returned; `first`'s error comes first.
    private static func readSideBySide<T: Sendable>(_ first: @Sendable () throws -> Void, _ second: @Sendable () throws -> T) throws -> T {
        let results = try ParallelRuns.map(count: 2, minimumLength: 1, maximum: 2) { run -> T? in
            if run.lowerBound == 0 {
                try first()
                return nil
            }
            return try second()
        }
        return results[1]!
    }

    /// One rule's evaluation: its outcome, and what to commit for it (nothing when its expression failed, so its state is
    /// kept). A store error met by the querier is thrown, aborting the round.
    private static func evaluate(
        _ rule: PreparedAlertRule, in group: PreparedGroup, state: AlertRuleState, now: Timestamp, muting: AlertMuting, querier: StoreSeriesQuerier
    ) throws -> (AlertRoundResult.RuleOutcome, AlertRoundRecord.RuleRecord?) {
        var outcome = AlertRoundResult.RuleOutcome(rule: rule.id)
        let observed: AlertConditions
        do {
            observed = try rule.observe(at: now.subtracting(group.queryOffset), now: now, known: state.instances.map(\.labels), querier: querier)
        } catch {
            try querier.checkForErrors()
            outcome.error = error
            return (outcome, nil)
        }
        try querier.checkForErrors()
        let evaluation = AlertStateMachine(rule.settings).evaluate(state, observed.input, muting: muting)
        outcome.transitions = evaluation.transitions
        outcome.notifications = evaluation.notifications.map {
            QueuedNotification($0, summary: rule.summary(of: $0, sampleLabels: observed.sampleLabels[$0.labels]))
        }
        outcome.held = evaluation.held
        outcome.noData = observed.input.noData.sorted()
        let record = AlertRoundRecord.RuleRecord(
            rule: rule.id, state: evaluation.state, instancesChanged: evaluation.state.instances != state.instances,
            transitions: evaluation.transitions, notifications: outcome.notifications)
        return (outcome, record)
    }
}
