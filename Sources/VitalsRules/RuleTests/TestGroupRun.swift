import VitalsCore

/// One test group's run: the series, each alerting rule's state, and the checks.
struct TestGroupRun {
    let test: RuleTestGroup
    let groups: [LoadedGroup]
    let evaluationInterval: TimeSpan
    private let series: RuleTestSeries
    /// Per alerting rule (group index, rule index): its state and the full labels of each alert's last sample.
    private var alertStates: [RuleKey: AlertTrack] = [:]
    /// Per recording rule: the label sets it wrote at the previous step, to mark the ones that disappear as stale.
    private var recorded: [RuleKey: Set<Labels>] = [:]

    struct RuleKey: Hashable {
        let group: Int
        let rule: Int
    }

    struct AlertTrack {
        var state = AlertRuleState.initial
        var sampleLabels: [Labels: Labels] = [:]
    }

    init(test: RuleTestGroup, groups: [LoadedGroup], evaluationInterval: TimeSpan) {
        self.test = test
        self.groups = groups
        self.evaluationInterval = evaluationInterval
        series = RuleTestSeries(test.inputSeries)
    }

    mutating func run() -> [RuleTestFailure.Kind] {
        var failures: [RuleTestFailure.Kind] = []
        let alertTests = test.alertTests.sorted { $0.evalTime < $1.evalTime }
        var nextAlertTest = 0
        let step = evaluationInterval.milliseconds
        var time: Int64 = 0
        while time <= test.maxEvalTime.milliseconds {
            if let error = evaluateGroups(at: time) { return failures + [error] }
            while nextAlertTest < alertTests.count, alertTests[nextAlertTest].evalTime.milliseconds < time + step {
                if let failure = check(alertTests[nextAlertTest]) { failures.append(failure) }
                nextAlertTest += 1
            }
            time += step
        }
        return failures + test.exprTests.compactMap(check)
    }

    /// Evaluates every rule at `time`, in group order; the first rule error stops the test group, as in promtool.
    private mutating func evaluateGroups(at time: Int64) -> RuleTestFailure.Kind? {
        for (groupIndex, loaded) in groups.enumerated() {
            let evaluationTime = Timestamp(milliseconds: time - (loaded.group.queryOffset?.milliseconds ?? 0))
            for (ruleIndex, rule) in loaded.rules.enumerated() {
                let key = RuleKey(group: groupIndex, rule: ruleIndex)
                do throws(EvaluationError) {
                    switch rule {
                    case .alert(let conditions, let machine):
                        try evaluate(conditions, machine, key: key, at: evaluationTime, stepTime: Timestamp(milliseconds: time))
                    case .record(let rule, let expr):
                        try record(rule, expr, key: key, at: evaluationTime, stepTime: Timestamp(milliseconds: time))
                    }
                } catch {
                    return .ruleError(rule: rule.name, time: TimeSpan(milliseconds: time), message: error.message)
                }
            }
        }
        return nil
    }

    private mutating func evaluate(
        _ conditions: AlertingRuleConditions, _ machine: AlertStateMachine, key: RuleKey, at time: Timestamp, stepTime: Timestamp
    ) throws(EvaluationError) {
        let evaluator = Evaluator(querier: series, lookback: conditions.rule.lookback ?? RuleTestRunner.lookback)
        // Taken out and put back, so that updating its dictionary does not copy it.
        var track = alertStates.removeValue(forKey: key) ?? AlertTrack()
        defer { alertStates[key] = track }
        // Only a `no_data` policy other than `ok` looks at the label sets the rule tracks.
        let known = conditions.rule.noData == .ok ? [] : Set(track.state.instances.map(\.labels))
        var result = try conditions.evaluate(with: evaluator, at: time, known: known)
        result.input.now = stepTime
        track.state = machine.evaluate(track.state, result.input).state
        // Kept for label sets that left the state too: one that comes back fires again first, which replaces its entry.
        track.sampleLabels.merge(result.sampleLabels) { _, new in new }
    }

    private mutating func record(_ rule: Rule, _ expr: Expr, key: RuleKey, at time: Timestamp, stepTime: Timestamp) throws(EvaluationError) {
        let evaluator = Evaluator(querier: series, lookback: rule.lookback ?? RuleTestRunner.lookback)
        let samples: [VectorSample]
        switch try evaluator.instant(expr, at: time) {
        case .vector(let vector): samples = vector
        case .scalar(let value): samples = [VectorSample(labels: .empty, value: value)]
        case .matrix: throw EvaluationError("rule result is not a vector or scalar")
        }
        let extra = groups[key.group].group.labels.merging(rule.labels) { _, own in own }
        var written = Set<Labels>()
        for sample in samples {
            var labels = sample.labels.dictionary.merging(extra) { _, own in own }
            labels["__name__"] = rule.name
            let output = Labels(labels)
            guard written.insert(output).inserted else {
                throw EvaluationError("vector contains metrics with the same labelset after applying rule labels")
            }
            series.append(output, SamplePoint(stepTime, sample.value))
        }
        // A series a recording rule stops producing goes stale, as Prometheus marks it.
        for gone in (recorded[key] ?? []).subtracting(written) { series.append(gone, SamplePoint(stepTime, StaleMarker.value)) }
        recorded[key] = written
    }

    /// Compares the firing alerts of every rule named `test.alertname` with the expected ones, as sets.
    private func check(_ test: AlertRuleTest) -> RuleTestFailure.Kind? {
        var got: [AlertOutput] = []
        for (groupIndex, loaded) in groups.enumerated() {
            for (ruleIndex, rule) in loaded.rules.enumerated() {
                guard case .alert(let conditions, _) = rule, conditions.rule.name == test.alertname,
                    let track = alertStates[RuleKey(group: groupIndex, rule: ruleIndex)]
                else { continue }
                for instance in track.state.instances where instance.phase == .firing {
                    let sampleLabels = track.sampleLabels[instance.labels] ?? instance.labels
                    got.append(
                        AlertOutput(
                            labels: conditions.labels(of: instance, sampleLabels: sampleLabels, externalLabels: self.test.externalLabels),
                            annotations: conditions.annotations(of: instance, sampleLabels: sampleLabels, externalLabels: self.test.externalLabels)))
                }
            }
        }
        let expected = test.expected.map { AlertOutput(labels: $0.labels, annotations: $0.annotations) }.sorted()
        got.sort()
        return expected == got ? nil : .alerts(alertname: test.alertname, time: test.evalTime, expected: expected, got: got)
    }

    /// Evaluates the expression at its `eval_time` over the input and recorded series; samples are compared as sets.
    private func check(_ test: ExprTest) -> RuleTestFailure.Kind? {
        let result: EvaluationResult
        do {
            let expr = try ExpressionParser.parse(test.expr)
            result = try Evaluator(querier: series, lookback: RuleTestRunner.lookback).instant(expr, at: Timestamp(milliseconds: test.evalTime.milliseconds))
        } catch let error as ExpressionError {
            return .exprError(expr: test.expr, time: test.evalTime, message: "\(error.description)")
        } catch {
            return .exprError(expr: test.expr, time: test.evalTime, message: "\(error)")
        }
        let got: [ExpectedSample]
        switch result {
        case .vector(let samples): got = samples.map { ExpectedSample(labels: $0.labels, value: $0.value) }
        case .scalar(let value): got = [ExpectedSample(labels: .empty, value: value)]
        case .matrix: return .exprError(expr: test.expr, time: test.evalTime, message: "rule result is not a vector or scalar")
        }
        let order: (ExpectedSample, ExpectedSample) -> Bool = { PromtoolText.compare($0.labels, $1.labels) < 0 }
        let expected = test.expected.sorted(by: order)
        let sortedGot = got.sorted(by: order)
        return expected == sortedGot ? nil : .samples(expr: test.expr, time: test.evalTime, expected: expected, got: sortedGot)
    }
}
