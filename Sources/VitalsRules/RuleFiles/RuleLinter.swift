public import VitalsCore

/// Checks a loaded rule file: expressions that do not parse, and mistakes that parse fine but make alerts misbehave.
public struct RuleLinter: Sendable {
    /// The interval of groups that set none (Prometheus' global `evaluation_interval`, 1m by default).
    public var defaultInterval: TimeSpan

    public init(defaultInterval: TimeSpan = .minutes(1)) {
        self.defaultInterval = defaultInterval
    }

    /// The findings, in file order.
    public func lint(_ file: RuleFile) -> [LintFinding] {
        file.groups.flatMap(lint(group:)).sorted { ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column) }
    }

    private func lint(group: RuleGroup) -> [LintFinding] {
        var findings: [LintFinding] = []
        var earlierAlerts: [Rule] = []
        for rule in group.rules {
            let (expr, exprFindings) = parse(rule.expr)
            let (resolve, resolveFindings) = rule.resolve.map(parse) ?? (nil, [])
            findings += exprFindings + resolveFindings
            guard rule.kind == .alert else { continue }
            // One name at several severities is fine (each rule keeps its own state); with the same labels too, promtool
            // warns "duplicate rule(s) found", as the two rules' alerts cannot be told apart.
            if let same = earlierAlerts.first(where: { $0.name == rule.name && $0.labels == rule.labels }) {
                findings.append(
                    LintFinding(
                        .warning, at: rule.position(of: "alert"),
                        "alert '\(rule.name)' has the same name and labels as the one at \(same.position); their alerts cannot be told apart")
                )
            }
            earlierAlerts.append(rule)
            findings += holdDuration(rule, group: group) + thresholdOrder(rule) + severityLabel(rule)
            if let expr, let resolve { findings += resolveOverlap(rule, expr: expr, resolve: resolve) }
        }
        return findings
    }

    /// A `for` shorter than the interval cannot be honoured: the alert is seen at most once per interval.
    private func holdDuration(_ rule: Rule, group: RuleGroup) -> [LintFinding] {
        let interval = group.interval ?? defaultInterval
        guard rule.holdDuration.milliseconds > 0, rule.holdDuration < interval else { return [] }
        return [
            LintFinding(
                .error, at: rule.position(of: "for"),
                "'for: \(rule.holdDuration)' of '\(rule.name)' is shorter than the group interval \(interval); use 0s or at least \(interval)")
        ]
    }

    private func thresholdOrder(_ rule: Rule) -> [LintFinding] {
        guard let thresholds = rule.thresholds else { return [] }
        let ordered = thresholds.levels.sorted { $0.key < $1.key }
        var findings: [LintFinding] = []
        for (lower, higher) in zip(ordered, ordered.dropFirst()) {
            let rightOrder = thresholds.op.isUpward ? lower.value < higher.value : lower.value > higher.value
            guard !rightOrder else { continue }
            let relation = thresholds.op.isUpward ? "below" : "above"
            findings.append(
                LintFinding(
                    .error, at: thresholds.positions[higher.key] ?? rule.position(of: "thresholds"),
                    "threshold '\(lower.key.rawValue): \(ValueInterval.format(lower.value))' must be \(relation) "
                        + "'\(higher.key.rawValue): \(ValueInterval.format(higher.value))' for op '\(thresholds.op.rawValue)'"))
        }
        return findings
    }

    private func parse(_ expression: RuleExpression) -> (Expr?, [LintFinding]) {
        do {
            return (try expression.parse(), [])
        } catch {
            return (nil, [LintFinding(.error, at: error.position, error.message)])
        }
    }

    /// With both conditions plain thresholds on the same expression, values where both hold leave the alert
    /// firing and resolved at once; the resolve condition must lie outside the fire condition.
    private func resolveOverlap(_ rule: Rule, expr: Expr, resolve: Expr) -> [LintFinding] {
        let fire: ThresholdCondition?
        let fireText: String
        if let thresholds = rule.thresholds, let lowest = thresholds.lowest {
            fire = ThresholdCondition(lhs: expr, op: thresholds.op, threshold: lowest.value)
            fireText = "\(Self.trimmed(rule.expr.text)) \(thresholds.op.rawValue) \(ValueInterval.format(lowest.value))"
        } else {
            fire = ThresholdCondition(recognising: expr)
            fireText = Self.trimmed(rule.expr.text)
        }
        guard let fire, let resolveCondition = ThresholdCondition(recognising: resolve), fire.lhs == resolveCondition.lhs,
            let overlap = fire.interval.intersection(resolveCondition.interval), let resolveText = rule.resolve
        else { return [] }
        return [
            LintFinding(
                .error, at: resolveText.position,
                "resolve condition '\(Self.trimmed(resolveText.text))' overlaps the fire condition '\(fireText)': "
                    + "for values in \(overlap.description) both hold"
            )
        ]
    }

    private static func trimmed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Any label value is valid (Prometheus rule files use `page`, `none`, ...), but only vitals' own severities order
    /// escalations: say so, without failing the check.
    private func severityLabel(_ rule: Rule) -> [LintFinding] {
        guard let severity = rule.labels["severity"], Severity(rawValue: severity) == nil else { return [] }
        return [
            LintFinding(
                .warning, at: rule.position(of: "labels"),
                "severity '\(severity)' of '\(rule.name)' is kept as a label, but is not one of \(Severity.allowedValues): "
                    + "its notifications carry no severity and never escalate")
        ]
    }
}
