import Foundation
public import VitalsCore
public import VitalsPorts

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
    /// The samples the last round read and the alert state it committed, shared by copies of this value, so rounds of one
    /// prepared round keep them warm; no samples for a value prepared for one round.
    let kept: RoundSampleCache?
    let committed = RoundStateCache()

    /// Prepares `files`. Group names must be unique across the files and alert names unique in a group, since they key the
    /// stored state; recording rules are skipped (the service does not record series).
    ///
    /// `keepsSamples` false prepares a value for one round (`vitals alerts evaluate`): it reads just the windows its rules
    /// select, without the store's write mark (``MetricStore/samplesWritten(named:since:)``) that only a next round
    /// would use.
    public init(
        files: [RuleFile], muteWindows: [MuteWindow] = [], defaultInterval: TimeSpan = .minutes(1), lookback: LookbackPolicy = LookbackPolicy(),
        keepsSamples: Bool = true
    ) throws(RuleFileError) {
        kept = keepsSamples ? RoundSampleCache() : nil
        var groups: [PreparedGroup] = []
        var groupPositions: [String: SourcePosition] = [:]
        for file in files {
            for group in file.groups {
                if let earlier = groupPositions[group.name] {
                    throw RuleFileError(
                        at: group.position, "group name '\(group.name)' is also used at \(earlier); alert state is kept by group name, so rename one")
                }
                groupPositions[group.name] = group.position
                if group.name.contains("\u{0}") {
                    throw RuleFileError(at: group.position, Self.zeroByteInName("group name", group.name))
                }
                var rules: [PreparedAlertRule] = []
                // A name used again gets the next ordinal, as Prometheus tells a group's rules apart by position.
                var earlierByKey: [String: SourcePosition] = [:]
                var countByName: [String: Int] = [:]
                for rule in group.rules where rule.kind == .alert {
                    if rule.name.contains("\u{0}") { throw RuleFileError(at: rule.position, Self.zeroByteInName("alert name", rule.name)) }
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

    /// Why a group or alert name holding a zero byte (YAML's `"\0"`, which promtool accepts) cannot be evaluated: the alert
    /// state is kept by these names, and neither store can keep a zero byte in them (PostgreSQL refuses it in text, SQLite
    /// gives the text back cut at it).
    private static func zeroByteInName(_ what: String, _ name: String) -> String {
        "\(what) '\(name.replacingOccurrences(of: "\u{0}", with: "\\0"))' holds a zero byte (\\0); alert state is kept by this name and no store can keep that byte, so remove it"
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
    /// error; a store error aborts the round before anything is written, as does cancelling the task.
    ///
    /// The round reads the alert state while it reads the samples (only those written since the last round of this value,
    /// when the store keeps a write history: see ``RoundSampleCache``; the state only when another round committed since
    /// the last round of this value: see ``RoundStateCache``), evaluates every due rule in memory (the rules split
    /// over the processor's cores, each part in a child task), and only then commits, in one short write transaction: no
    /// write lock is held while anything is computed or awaited. Results keep rule-file order.
    public func run(at now: Timestamp, metrics: any MetricStore, alerts: any AlertStore) async throws -> AlertRoundResult {
        let evaluations = try await alerts.groupEvaluations()
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
        async let stored = committed.states(evaluations: evaluations, from: alerts)
        async let silences = alerts.silences(notEndedAt: earliest)
        if let kept {
            try await querier.prefetch(windows, keeping: kept)
        } else {
            try await querier.prefetch(windows)
        }
        let muting = AlertMuting(silences: try await silences, muteWindows: muteWindows)
        let states = try await stored
        let evaluated = try await Self.evaluate(
            due.flatMap { group, slot in group.rules.map { Due(rule: $0, group: group, slot: slot) } }, states: states, muting: muting,
            querier: querier)
        result.rules = evaluated.map(\.outcome)
        let slots = Dictionary(uniqueKeysWithValues: due.map { ($0.group.name, $0.slot) })
        let records = evaluated.compactMap(\.record)
        try await alerts.commit(slots: slots, rules: records)
        committed.keep(alerts, evaluations: evaluations, slots: slots, states: states, records: records)
        return result
    }

    /// A rule due in this round, with its group and the slot it is evaluated at.
    private struct Due: Sendable {
        let rule: PreparedAlertRule
        let group: PreparedGroup
        let slot: Timestamp
    }

    /// Evaluates `due` in contiguous parts, one child task per core, and returns the results in the order given. The first
    /// error (a store error, a cancellation) cancels the other parts and is thrown.
    private static func evaluate(
        _ due: [Due], states: [AlertRuleID: AlertRuleState], muting: AlertMuting, querier: StoreSeriesQuerier
    ) async throws -> [(outcome: AlertRoundResult.RuleOutcome, record: AlertRoundRecord.RuleRecord?)] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, due.count / minimumPart))
        let size = (due.count + parts - 1) / parts
        return try await withThrowingTaskGroup(of: (Int, [(AlertRoundResult.RuleOutcome, AlertRoundRecord.RuleRecord?)]).self) { tasks in
            for start in stride(from: 0, to: due.count, by: size) {
                let part = due[start..<min(start + size, due.count)]
                tasks.addTask {
                    var results: [(AlertRoundResult.RuleOutcome, AlertRoundRecord.RuleRecord?)] = []
                    for item in part {
                        try Task.checkCancellation()
                        results.append(
                            try await evaluate(
                                item.rule, in: item.group, state: states[item.rule.id] ?? .initial, now: item.slot, muting: muting, querier: querier))
                    }
                    return (start, results)
                }
            }
            var byStart: [Int: [(AlertRoundResult.RuleOutcome, AlertRoundRecord.RuleRecord?)]] = [:]
            for try await (start, results) in tasks { byStart[start] = results }
            return byStart.sorted { $0.key < $1.key }.flatMap(\.value).map { (outcome: $0.0, record: $0.1) }
        }
    }

    /// Fewer rules than this are evaluated in one task: splitting them would cost more than it saves.
    static let minimumPart = 50

    /// One rule's evaluation: its outcome, and what to commit for it (nothing when its expression failed, so its state is
    /// kept). A selection outside the prefetched windows is read and the rule evaluated again (see ``StoreSeriesQuerier``);
    /// a store error met there is thrown, aborting the round.
    private static func evaluate(
        _ rule: PreparedAlertRule, in group: PreparedGroup, state: AlertRuleState, now: Timestamp, muting: AlertMuting, querier: StoreSeriesQuerier
    ) async throws -> (AlertRoundResult.RuleOutcome, AlertRoundRecord.RuleRecord?) {
        var outcome = AlertRoundResult.RuleOutcome(rule: rule.id)
        var observed: AlertConditions
        while true {
            do {
                observed = try rule.observe(at: now.subtracting(group.queryOffset), now: now, known: state.instances.map(\.labels), querier: querier)
            } catch {
                if try await querier.readMissed() { continue }
                outcome.error = error
                return (outcome, nil)
            }
            if try await !querier.readMissed() { break }
        }
        let evaluation = AlertStateMachine(rule.settings).evaluate(state, observed.input, muting: muting)
        outcome.transitions = evaluation.transitions
        outcome.notifications = evaluation.notifications.map {
            QueuedNotification($0, summary: rule.summary(of: $0, sampleLabels: observed.sampleLabels[$0.labels]))
        }
        outcome.held = evaluation.held
        outcome.noData = observed.input.noData.sorted()
        let record = AlertRoundRecord.RuleRecord(
            rule: rule.id, state: evaluation.state, instancesChanged: evaluation.state.instances != state.instances,
            previousInstances: state.instances, transitions: evaluation.transitions, notifications: outcome.notifications)
        return (outcome, record)
    }
}
