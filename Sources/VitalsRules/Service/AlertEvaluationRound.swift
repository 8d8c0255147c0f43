public import VitalsCore

/// One evaluation round of the alerting service: every group due at `now` is evaluated at its current slot (see
/// ``EvaluationGrid``), each alerting rule's result drives its ``AlertStateMachine`` under the silences and mute windows
/// in force, and the round is committed in one transaction.
///
/// The rules are prepared once (expressions parsed, lookbacks worked out); `now` and the stores are arguments, so the
/// same value can run many rounds, and nothing here reads the clock.
public struct AlertEvaluationRound: Sendable {
    struct PreparedGroup: Sendable {
        let name: String
        let grid: EvaluationGrid
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
                // A name used again gets the next ordinal, as Prometheus tells a group's rules apart by position.
                var earlierByKey: [String: SourcePosition] = [:]
                var countByName: [String: Int] = [:]
                for rule in group.rules where rule.kind == .alert {
                    let id = AlertRuleID(group: group.name, alert: rule.name, ordinal: countByName[rule.name, default: 0])
                    countByName[rule.name, default: 0] += 1
                    if let earlier = earlierByKey[id.key] {
                        throw RuleFileError(
                            at: rule.position,
                            "alert '\(rule.name)' keeps its state as '\(id.key)', which the alert at \(earlier) also does; rename one")
                    }
                    earlierByKey[id.key] = rule.position
                    rules.append(try PreparedAlertRule(rule, id: id, group: group, lookback: lookback))
                }
                groups.append(
                    PreparedGroup(
                        name: group.name, grid: EvaluationGrid(file: file.file, group: group.name, interval: group.interval ?? defaultInterval),
                        queryOffset: group.queryOffset ?? TimeSpan(milliseconds: 0), rules: rules))
            }
        }
        self.groups = groups
        self.muteWindows = muteWindows
    }

    /// The number of alerting rules prepared.
    public var ruleCount: Int { groups.reduce(0) { $0 + $1.rules.count } }

    /// Evaluates the groups due at `now` and commits.
    ///
    /// A group is due when its current slot (the latest at or before `now`) is later than the slot it was last evaluated
    /// at; it is then evaluated at that slot, which is the time its queries, its `for` durations and its stored evaluation
    /// time use, so a round started late still evaluates the slot it belongs to and a slot is never evaluated twice. Slots
    /// passed over since the last evaluation are counted as missed, not evaluated, as Prometheus does. A last evaluation
    /// stored before rounds were slotted lies between slots: the first slot after it is due.
    ///
    /// A rule whose expression fails at evaluation (such as ambiguous vector matching) keeps its state and reports the
    /// error; a store error aborts the round before anything is written.
    ///
    /// The round overlaps what it can: the alert state is read while the samples are, and the commit runs on a thread of
    /// its own from the start, writing each batch of evaluated rules while the next batch is evaluated (an
    /// ``AlertRecordFeed`` between them). Results keep rule-file order.
    public func run(at now: Timestamp, metrics: any MetricStore, alerts: any AlertStore) throws -> AlertRoundResult {
        let evaluations = try alerts.groupEvaluations()
        var result = AlertRoundResult(now: now)
        var due: [(group: PreparedGroup, slot: Timestamp)] = []
        for group in groups {
            let slot = group.grid.slot(at: now)
            var missed: Int64 = 0
            if let last = evaluations[group.name] {
                let next = group.grid.slot(after: last)
                if slot < next {
                    result.notDue.append(AlertRoundResult.NotDueGroup(group: group.name, dueAt: next))
                    continue
                }
                missed = (slot.milliseconds - next.milliseconds) / group.grid.interval.milliseconds
            }
            due.append((group, slot))
            result.evaluated.append(AlertRoundResult.EvaluatedGroup(group: group.name, at: slot, missedSlots: Int(missed)))
        }
        guard let earliest = due.map(\.slot).min() else { return result }
        let querier = StoreSeriesQuerier(store: metrics)
        let windows = due.flatMap { group, slot in group.rules.flatMap { $0.windows(at: slot.subtracting(group.queryOffset)) } }
        let stored = BackgroundThread { (try alerts.alertStates(), try alerts.silences(notEndedAt: earliest)) }
        do {
            try querier.prefetch(windows)
        } catch {
            _ = try? stored.wait()
            throw error
        }
        let (states, silences) = try stored.wait()
        let muting = AlertMuting(silences: silences, muteWindows: muteWindows)
        let feed = AlertRecordFeed()
        let slots = Dictionary(uniqueKeysWithValues: due.map { ($0.group.name, $0.slot) })
        let commit = BackgroundThread { try alerts.commit(slots: slots, records: feed) }
        do {
            for (group, slot) in due {
                for batch in stride(from: 0, to: group.rules.count, by: Self.batchSize) {
                    var records: [AlertRoundRecord.RuleRecord] = []
                    for rule in group.rules[batch..<min(batch + Self.batchSize, group.rules.count)] {
                        let (outcome, record) = try Self.evaluate(
                            rule, in: group, state: states[rule.id] ?? .initial, now: slot, muting: muting, querier: querier)
                        result.rules.append(outcome)
                        if let record { records.append(record) }
                    }
                    feed.send(records)
                }
            }
            feed.finish()
        } catch {
            feed.finish(throwing: error)
            _ = try? commit.wait()
            throw error
        }
        try commit.wait()
        return result
    }

    /// Rules per batch handed to the commit: small enough that the commit starts early, large enough that handing over
    /// costs nothing next to the rules.
    static let batchSize = 50

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
