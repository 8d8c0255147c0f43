public import VitalsCore

/// An alerting rule's conditions, parsed once and evaluated at each step into what ``AlertStateMachine`` takes:
/// the label sets the fire condition holds for (with `thresholds`, the severity each value earns), those the `resolve`
/// condition holds for, and those the expression had no data for. `vitals rules test` and the service's evaluation
/// round both evaluate rules through it, so unit tests test what the service does.
public struct AlertingRuleConditions: Sendable {
    public let rule: Rule
    private let expr: Expr
    private let resolve: Expr?
    /// The left-hand side of `expr` when it is a plain threshold condition, evaluated to tell "no data" from "below
    /// the threshold" for rules whose `no_data` policy is not `ok`.
    private let dataExpr: Expr?
    private let fixedSeverity: Severity?
    /// The group's and the rule's labels, the rule's winning, as templates.
    private let labelTemplates: [String: AlertTemplate]
    private let annotationTemplates: [String: AlertTemplate]

    /// Parses the rule's expressions and templates; an error points at the rule file. `groupLabels` are the group's `labels:`.
    public init(_ rule: Rule, groupLabels: [String: String] = [:]) throws(RuleFileError) {
        self.rule = rule
        labelTemplates = try Self.templates(groupLabels.merging(rule.labels) { _, own in own }, of: rule, key: "labels")
        annotationTemplates = try Self.templates(rule.annotations, of: rule, key: "annotations")
        expr = try rule.expr.parse()
        resolve = try rule.resolve?.parse()
        guard expr.type != .rangeVector else {
            throw RuleFileError(at: rule.expr.position, "an alerting rule's expression must return an instant vector, not a range vector")
        }
        if rule.thresholds != nil {
            dataExpr = nil
        } else {
            dataExpr = rule.noData == .ok ? nil : ThresholdCondition(recognising: expr)?.lhs
        }
        fixedSeverity = (rule.labels["severity"] ?? groupLabels["severity"]).flatMap(Severity.init(rawValue:))
    }

    /// The rule's parsed expressions (`expr`, and `resolve` when it has one), e.g. to find the metrics they read.
    var expressions: [Expr] { [expr] + (resolve.map { [$0] } ?? []) }

    /// What the conditions say at `time`. `known` are the label sets the rule already tracks, for `no_data`.
    public func evaluate(with evaluator: Evaluator, at time: Timestamp, known: Set<Labels>) throws(EvaluationError) -> AlertConditions {
        let samples = try vector(expr, evaluator, time)
        var firing = [Labels: AlertSample](minimumCapacity: samples.count)
        var sampleLabels = [Labels: Labels](minimumCapacity: samples.count)
        var withData = Set<Labels>()
        // Only a `no_data` policy other than `ok` asks which label sets had data, and `dataExpr` answers when there is one.
        let collectsData = rule.noData != .ok && dataExpr == nil
        for sample in samples {
            let key = sample.labels.droppingName
            if collectsData { withData.insert(key) }
            let severity: Severity?
            if let thresholds = rule.thresholds {
                guard let crossed = thresholds.severity(of: sample.value) else { continue }
                severity = crossed
            } else {
                severity = fixedSeverity
            }
            guard firing.updateValue(AlertSample(value: sample.value, severity: severity), forKey: key) == nil else {
                throw EvaluationError("vector contains metrics with the same labelset after applying alert labels")
            }
            sampleLabels[key] = sample.labels
        }
        let resolving = try resolve.map { (resolve) throws(EvaluationError) in
            Set(try vector(resolve, evaluator, time).map { $0.labels.droppingName })
        }
        var noData = Set<Labels>()
        if rule.noData != .ok {
            if let dataExpr { withData = Set(try vector(dataExpr, evaluator, time).map { $0.labels.droppingName }) }
            noData = known.subtracting(withData).subtracting(firing.keys)
            // A rule with no data at all and no alerts to carry it gets one label-less "no data" alert, as Grafana does.
            if withData.isEmpty, firing.isEmpty, noData.isEmpty { noData.insert(.empty) }
        }
        return AlertConditions(
            input: AlertEvaluationInput(now: time, firing: firing, resolving: resolving ?? [], noData: noData), sampleLabels: sampleLabels)
    }

    private func vector(_ expr: Expr, _ evaluator: Evaluator, _ time: Timestamp) throws(EvaluationError) -> [VectorSample] {
        switch try evaluator.instant(expr, at: time) {
        case .vector(let samples): return samples
        case .scalar(let value): return [VectorSample(labels: .empty, value: value)]
        case .matrix: throw EvaluationError("rule result is not a vector or scalar")
        }
    }

    /// The labels an alert carries: the series' labels without the metric name, the group's and rule's labels
    /// (templated), the severity `thresholds` gave it, and `alertname`.
    public func labels(of instance: AlertInstance, sampleLabels: Labels, externalLabels: [String: String] = [:]) -> Labels {
        let data = TemplateData(labels: sampleLabels.dictionary, value: instance.value ?? .nan, externalLabels: externalLabels)
        var labels = instance.labels.dictionary
        for (name, template) in labelTemplates { labels[name] = template.render(data) }
        if rule.thresholds != nil, let severity = instance.severity { labels["severity"] = severity.rawValue }
        labels["alertname"] = rule.name
        return Labels(labels)
    }

    /// The rule's annotations rendered for an alert, with its last value and its series' labels.
    public func annotations(of instance: AlertInstance, sampleLabels: Labels, externalLabels: [String: String] = [:]) -> Labels {
        annotations(value: instance.value, sampleLabels: sampleLabels, externalLabels: externalLabels)
    }

    /// The rule's annotations rendered for a value and the labels of the series it came from.
    public func annotations(value: Double?, sampleLabels: Labels, externalLabels: [String: String] = [:]) -> Labels {
        let data = TemplateData(labels: sampleLabels.dictionary, value: value ?? .nan, externalLabels: externalLabels)
        return Labels(annotationTemplates.mapValues { $0.render(data) })
    }

    /// One annotation rendered, as ``annotations(value:sampleLabels:externalLabels:)`` renders it; nil when the rule has no
    /// annotation `name` (then nothing is rendered, which the service relies on for notifications without a summary).
    public func annotation(_ name: String, value: Double?, sampleLabels: Labels) -> String? {
        annotationTemplates[name].map { $0.render(TemplateData(labels: sampleLabels.dictionary, value: value ?? .nan, externalLabels: [:])) }
    }

    private static func templates(_ texts: [String: String], of rule: Rule, key: String) throws(RuleFileError) -> [String: AlertTemplate] {
        var templates: [String: AlertTemplate] = [:]
        for (name, text) in texts {
            do {
                templates[name] = try AlertTemplate(text)
            } catch {
                throw RuleFileError(at: rule.position(of: key), "\(key.dropLast()) '\(name)' of '\(rule.name)': \(error)")
            }
        }
        return templates
    }
}

/// What a rule's conditions said at one evaluation.
public struct AlertConditions: Sendable {
    public var input: AlertEvaluationInput
    /// The full labels (with `__name__`) of each firing label set's sample, which templates see as `$labels`.
    public var sampleLabels: [Labels: Labels]
}
