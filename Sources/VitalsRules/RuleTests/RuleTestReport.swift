/// Prints test results as `promtool test rules` does, plus which test group failed:
///
///     Unit Testing:  rules/tests/stability.yml
///       FAILED:
///         test 2, name: error budget,
///         alertname: HighErrorRate, time: 10m,
///             exp:[...],
///             got:[]
public enum RuleTestReport {
    public static func render(_ result: RuleTestResult) -> String {
        var text = "Unit Testing:  \(result.file)\n"
        guard !result.passed else { return text + "  SUCCESS\n\n" }
        text += "  FAILED:\n"
        for failure in result.failures {
            text += describe(failure) + "\n\n"
        }
        return text
    }

    /// One failure, in promtool's words, after a line naming the test group.
    public static func describe(_ failure: RuleTestFailure) -> String {
        var text = ""
        if let index = failure.testIndex {
            text += "    test \(index)" + (failure.testName.map { ", name: \($0)" } ?? "") + ",\n"
        }
        switch failure.kind {
        case .load(let message):
            text += "    \(message)"
        case .ruleError(let rule, let time, let message):
            text += "    rule: \(rule), time: \(PromtoolText.duration(time)), err: \(message)"
        case .alerts(let alertname, let time, let expected, let got):
            text += "    alertname: \(alertname), time: \(PromtoolText.duration(time)), \n"
            text += "        exp:\(indent(alerts(expected), "            ")), \n"
            text += "        got:\(indent(alerts(got), "            "))"
        case .samples(let expr, let time, let expected, let got):
            text += "    expr: \(PromtoolText.quote(expr)), time: \(PromtoolText.duration(time)),\n"
            text += "        exp: \(samples(expected))\n"
            text += "        got: \(samples(got))"
        case .exprError(let expr, let time, let message):
            text += "    expr: \(PromtoolText.quote(expr)), time: \(PromtoolText.duration(time)), err: \(message)"
        }
        return text
    }

    /// promtool's `labelsAndAnnotations.String()`.
    static func alerts(_ alerts: [AlertOutput]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        let entries = alerts.enumerated().map { index, alert in
            "\(index):" + indent("\nLabels:\(PromtoolText.labels(alert.labels))\nAnnotations:\(PromtoolText.labels(alert.annotations))", "  ")
        }
        return "[\n" + entries.joined(separator: ",\n") + "\n]"
    }

    static func samples(_ samples: [ExpectedSample]) -> String {
        samples.isEmpty ? "nil" : samples.map(PromtoolText.sample).joined(separator: ", ")
    }

    /// Prefixes every line but the first with `prefix`, as promtool's `indentLines`.
    static func indent(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { $0.offset == 0 ? String($0.element) : prefix + $0.element }
            .joined(separator: "\n")
    }
}
