import VitalsCore

/// An alerting rule ready to evaluate: expressions parsed, settings and lookback worked out once, not every round.
struct PreparedAlertRule: Sendable {
    let id: AlertRuleID
    let settings: AlertRuleSettings
    let expr: Expr
    let resolve: Expr?
    let thresholds: Thresholds?
    /// The rule's `severity` label, for rules without `thresholds`.
    let labelSeverity: Severity?
    /// The expression whose series count as "having data": the left-hand side of a `<expr> <op> <number>` condition (a
    /// series below the threshold has data), else the expression itself.
    let dataExpr: Expr
    let lookback: TimeSpan

    init(_ rule: Rule, group: RuleGroup, lookback policy: LookbackPolicy) throws(RuleFileError) {
        let expr = try rule.expr.parse()
        let resolve = try rule.resolve.map { (expression) throws(RuleFileError) in try expression.parse() }
        guard expr.type == .instantVector else {
            throw RuleFileError(at: rule.expr.position, "an alerting rule's expression must return an instant vector, not a \(expr.type.rawValue)")
        }
        id = AlertRuleID(group: group.name, alert: rule.name)
        settings = AlertRuleSettings(rule, group: group)
        self.expr = expr
        self.resolve = resolve
        thresholds = rule.thresholds
        labelSeverity = (rule.labels["severity"] ?? group.labels["severity"]).flatMap(Severity.init(rawValue:))
        dataExpr = rule.thresholds == nil ? ThresholdCondition(recognising: expr)?.lhs ?? expr : expr
        lookback = policy.lookback(for: rule, metrics: expr.metricNames.union(resolve?.metricNames ?? []))
    }

    /// What the rule's expressions say at `time`; `known` are the label sets the rule has state for, which have no data
    /// when the data expression no longer returns them.
    func observe(at time: Timestamp, now: Timestamp, known: [Labels], querier: any SeriesQuerier) throws(EvaluationError) -> AlertEvaluationInput {
        let evaluator = Evaluator(querier: querier, lookback: lookback)
        var input = AlertEvaluationInput(now: now)
        let samples = try vector(expr, evaluator, at: time)
        for sample in samples {
            if let thresholds {
                guard let severity = thresholds.severity(of: sample.value) else { continue }
                input.firing[sample.labels] = AlertSample(value: sample.value, severity: severity)
            } else {
                input.firing[sample.labels] = AlertSample(value: sample.value, severity: labelSeverity)
            }
        }
        if let resolve { input.resolving = Set(try vector(resolve, evaluator, at: time).map(\.labels)) }
        let withData = Set(dataExpr == expr ? samples.map(\.labels) : try vector(dataExpr, evaluator, at: time).map(\.labels))
        input.noData = Set(known).subtracting(withData)
        // A rule with no data at all and no alerts to carry it gets one label-less "no data" alert under `no_data: alerting`,
        // as Grafana does.
        if withData.isEmpty, input.noData.isEmpty { input.noData.insert(.empty) }
        return input
    }

    /// The expression's vector with `__name__` dropped, as Prometheus drops it from alert labels.
    private func vector(_ expr: Expr, _ evaluator: Evaluator, at time: Timestamp) throws(EvaluationError) -> [VectorSample] {
        guard case .vector(let samples) = try evaluator.instant(expr, at: time) else { return [] }
        var seen = Set<Labels>()
        return try samples.map { (sample) throws(EvaluationError) in
            let labels = sample.labels.setting("__name__", to: nil)
            guard seen.insert(labels).inserted else {
                throw EvaluationError("vector contains metrics with the same labelset after dropping the metric name: \(labels)")
            }
            return VectorSample(labels: labels, value: sample.value)
        }
    }
}
