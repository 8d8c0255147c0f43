public import VitalsCore

/// Runs rule unit tests as `promtool test rules` does: for each test group, every rule group is evaluated at each
/// `evaluation_interval` step from 0 up to the group's latest `eval_time`, alert tests are checked against the
/// evaluation at or just before their `eval_time`, and expression tests run at their `eval_time` once all steps are done.
///
/// Alerts follow vitals' state machine (``AlertStateMachine``): Prometheus' `for` and `keep_firing_for`, plus `resolve`
/// hysteresis, `thresholds` severities and `no_data`, so a test checks what the service would do.
public enum RuleTestRunner {
    /// Instant selectors look back 5 minutes, as in promtool, unless a rule sets `lookback:`.
    public static let lookback = TimeSpan.minutes(5)

    /// Loads and runs the test file at `path`.
    public static func run(contentsOf path: String) -> RuleTestResult {
        do {
            return run(try RuleTestFileLoader.load(contentsOf: path))
        } catch {
            return RuleTestResult(file: path, failures: [RuleTestFailure(kind: .load(error.description))])
        }
    }

    /// Runs a loaded test file.
    public static func run(_ file: RuleTestFile) -> RuleTestResult {
        let groups: [LoadedGroup]
        do {
            groups = try loadGroups(file)
        } catch {
            return RuleTestResult(file: file.file, failures: [RuleTestFailure(kind: .load(error.description))])
        }
        var failures: [RuleTestFailure] = []
        for (index, test) in file.tests.enumerated() {
            var run = TestGroupRun(test: test, groups: groups, evaluationInterval: file.evaluationInterval)
            failures += run.run().map { RuleTestFailure(testIndex: index + 1, testName: test.name, kind: $0) }
        }
        return RuleTestResult(file: file.file, failures: failures)
    }

    /// The rule groups of every rule file, parsed, in `group_eval_order` (groups it does not name keep file order, first).
    static func loadGroups(_ file: RuleTestFile) throws(RuleFileError) -> [LoadedGroup] {
        var order: [String: Int] = [:]
        for (index, name) in file.groupEvalOrder.enumerated() {
            guard order.updateValue(index, forKey: name) == nil else {
                throw RuleFileError(at: SourcePosition(file: file.file, line: 1, column: 1), "group name repeated in evaluation order: \(name)")
            }
        }
        var groups: [LoadedGroup] = []
        for path in file.ruleFiles {
            for group in try RuleFileLoader.load(contentsOf: path).groups {
                groups.append(try LoadedGroup(group))
            }
        }
        return groups.enumerated().sorted { (order[$0.element.group.name] ?? 0, $0.offset) < (order[$1.element.group.name] ?? 0, $1.offset) }
            .map(\.element)
    }
}

/// A rule group with its expressions parsed.
struct LoadedGroup {
    let group: RuleGroup
    let rules: [LoadedRule]

    init(_ group: RuleGroup) throws(RuleFileError) {
        self.group = group
        var rules: [LoadedRule] = []
        for rule in group.rules {
            switch rule.kind {
            case .alert:
                rules.append(
                    .alert(try AlertingRuleConditions(rule, groupLabels: group.labels), AlertStateMachine(AlertRuleSettings(rule, group: group))))
            case .record: rules.append(.record(rule, try rule.expr.parse()))
            }
        }
        self.rules = rules
    }
}

enum LoadedRule {
    case alert(AlertingRuleConditions, AlertStateMachine)
    case record(Rule, Expr)

    var name: String {
        switch self {
        case .alert(let conditions, _): conditions.rule.name
        case .record(let rule, _): rule.name
        }
    }
}
