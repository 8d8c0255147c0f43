import VitalsCore
import VitalsPorts

/// An alerting rule ready to evaluate: its conditions parsed (shared with `vitals rules test`), settings and lookback
/// worked out once, not every round.
struct PreparedAlertRule: Sendable {
    let id: AlertRuleID
    let settings: AlertRuleSettings
    let conditions: AlertingRuleConditions
    let lookback: TimeSpan
    /// Each named selector's metric, how far before the evaluation time its samples start and end, and whether it is an
    /// instant selector (which takes only the newest sample).
    let reaches: [(name: String, start: Int64, end: Int64, instant: Bool)]

    init(_ rule: Rule, id: AlertRuleID, group: RuleGroup, lookback policy: LookbackPolicy) throws(RuleFileError) {
        conditions = try AlertingRuleConditions(rule, groupLabels: group.labels)
        self.id = id
        settings = AlertRuleSettings(rule, group: group, ordinal: id.ordinal)
        lookback = policy.lookback(for: rule, metrics: conditions.expressions.reduce(into: Set<String>()) { $0.formUnion($1.metricNames) })
        // The windows the evaluator selects: an instant selector looks back `lookback`, a range selector its range.
        reaches = conditions.expressions.flatMap(\.selectors).compactMap { [lookback] selector, range in
            selector.metricName.map { name in
                (name, selector.offset.milliseconds + (range ?? lookback).milliseconds, selector.offset.milliseconds, range == nil)
            }
        }
    }

    /// The samples the rule's selectors will ask for when evaluated at `time`, so the round can read them ahead.
    func windows(at time: Timestamp) -> [MetricWindow] {
        reaches.map { name, start, end, instant in
            let from = Timestamp(milliseconds: time.milliseconds - start)
            return MetricWindow(
                name: name, period: StoreSeriesQuerier.period(from: from, through: Timestamp(milliseconds: time.milliseconds - end)), newestOnly: instant)
        }
    }

    /// What the rule's expressions say at `time` (the round's `now` less the group's query offset); `known` are the label
    /// sets the rule has state for, which have no data when the expression no longer returns them.
    func observe(at time: Timestamp, now: Timestamp, known: [Labels], querier: any SeriesQuerier) throws(EvaluationError) -> AlertConditions {
        var observed = try conditions.evaluate(with: Evaluator(querier: querier, lookback: lookback), at: time, known: Set(known))
        observed.input.now = now
        return observed
    }

    /// What a channel shows for a notification: the rule's `summary` annotation rendered for it, or a plain line.
    func summary(of notification: AlertNotification, sampleLabels: Labels?) -> String {
        if let summary = conditions.annotation("summary", value: notification.value, sampleLabels: sampleLabels ?? notification.labels),
            !summary.isEmpty
        {
            return summary
        }
        let severity = notification.severity.map { " [\($0.rawValue)]" } ?? ""
        let value = notification.value.map { " = \($0)" } ?? ""
        return "\(notification.alert) \(notification.kind.rawValue)\(severity) \(notification.labels)\(value)"
    }
}
