import Foundation
import VitalsCore
import Yams

/// Loads rule unit-test files in promtool's format. Unknown keys are errors (promtool reads the file strictly);
/// every error is a ``RuleFileError`` at the YAML node at fault.
public enum RuleTestFileLoader {
    static let fileKeys = ["rule_files", "evaluation_interval", "group_eval_order", "tests"]
    static let groupKeys = ["name", "interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url"]

    /// Reads and loads the test file at `path`; rule files are resolved against its folder.
    public static func load(contentsOf path: String) throws(RuleFileError) -> RuleTestFile {
        let start = SourcePosition(file: path, line: 1, column: 1)
        let data: Data
        do {
            data = try RegularFile.read(path, limit: RegularFile.definitionLimit)
        } catch {
            throw RuleFileError(at: start, "the test file \(error.description)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw RuleFileError(at: start, "the test file is not UTF-8 text") }
        return try parse(text, file: path)
    }

    /// Loads test-file text; `file` names it in messages and its folder is where relative rule files are looked up.
    public static func parse(_ text: String, file: String) throws(RuleFileError) -> RuleTestFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RuleFileLoader.yamlError(error, file: file)
        } catch {
            throw RuleFileError(at: SourcePosition(file: file, line: 1, column: 1), "\(error)")
        }
        guard let root else { throw RuleFileError(at: SourcePosition(file: file, line: 1, column: 1), "the test file is empty") }
        let top = try YAMLMapping(root, file: file, what: "a rule test file", allowed: fileKeys)
        let evaluationInterval = try positive(top, "evaluation_interval") ?? .minutes(1)
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
        return RuleTestFile(
            file: file, ruleFiles: try top.stringList("rule_files").flatMap { RuleFileGlob.expand($0, relativeTo: folder) },
            evaluationInterval: evaluationInterval, groupEvalOrder: try top.stringList("group_eval_order"),
            tests: try items(top, "tests").map { (node) throws(RuleFileError) in try group(node, file: file, defaultInterval: evaluationInterval) })
    }

    private static func group(_ node: Node, file: String, defaultInterval: TimeSpan) throws(RuleFileError) -> RuleTestGroup {
        let mapping = try YAMLMapping(node, file: file, what: "a test group", allowed: groupKeys)
        let interval = try positive(mapping, "interval") ?? defaultInterval
        var alertTests: [AlertRuleTest] = []
        for item in try items(mapping, "alert_rule_test") {
            alertTests.append(try alertTest(item, file: file))
        }
        var exprTests: [ExprTest] = []
        for item in try items(mapping, "promql_expr_test") {
            exprTests.append(try exprTest(item, file: file))
        }
        // The run steps from 0 to the last eval time and reads no point after it: that bounds both the steps and the values
        // expanded, and a limit on the steps keeps a typo such as `eval_time: 100000d` from running for hours.
        let checks = alertTests.map { ($0.evalTime, $0.position) } + exprTests.map { ($0.evalTime, $0.position) }
        let lastEvalTime = checks.map(\.0).max() ?? TimeSpan(milliseconds: 0)
        let finest = Swift.min(interval.milliseconds, defaultInterval.milliseconds)
        if lastEvalTime.milliseconds / finest >= maximumSteps, let last = checks.first(where: { $0.0 == lastEvalTime }) {
            throw RuleFileError(
                at: last.1,
                "eval_time \(lastEvalTime) needs \(lastEvalTime.milliseconds / finest + 1) steps of \(TimeSpan(milliseconds: finest)); "
                    + "a test group may take at most \(maximumSteps)")
        }
        var series: [InputSeries] = []
        for item in try items(mapping, "input_series") {
            series.append(try inputSeries(item, file: file, interval: interval, limit: Int(lastEvalTime.milliseconds / interval.milliseconds) + 1))
        }
        return RuleTestGroup(
            name: try mapping.string("name"), interval: interval, inputSeries: series, alertTests: alertTests, exprTests: exprTests,
            externalLabels: try mapping.stringMap("external_labels"), externalURL: try mapping.string("external_url") ?? "",
            position: mapping.position)
    }

    /// The most evaluation steps (and input values per series) a test group may take.
    public static let maximumSteps: Int64 = 1_000_000

    private static func inputSeries(_ node: Node, file: String, interval: TimeSpan, limit: Int) throws(RuleFileError) -> InputSeries {
        let mapping = try YAMLMapping(node, file: file, what: "an input series", allowed: ["series", "values"])
        let selector = try mapping.requiredString("series", what: "an input series")
        let labels: Labels
        let values: [Double?]
        do {
            labels = try SeriesNotation.labels(selector)
        } catch {
            throw RuleFileError(at: mapping.valuePosition("series") ?? mapping.position, "invalid series: \(error)")
        }
        do {
            values = try SeriesNotation.values(try mapping.string("values") ?? "", limit: limit)
        } catch {
            throw RuleFileError(at: mapping.valuePosition("values") ?? mapping.position, "invalid values: \(error)")
        }
        let points = values.enumerated().compactMap { step, value in
            value.map { SamplePoint(Timestamp(milliseconds: Int64(step) * interval.milliseconds), $0) }
        }
        return InputSeries(labels: labels, points: points)
    }

    private static func alertTest(_ node: Node, file: String) throws(RuleFileError) -> AlertRuleTest {
        let mapping = try YAMLMapping(node, file: file, what: "an alert rule test", allowed: ["eval_time", "alertname", "exp_alerts"])
        let alertname = try mapping.requiredString("alertname", what: "an alert rule test")
        var expected: [ExpectedAlert] = []
        for item in try items(mapping, "exp_alerts") {
            let alert = try YAMLMapping(item, file: file, what: "an expected alert", allowed: ["exp_labels", "exp_annotations"])
            expected.append(
                ExpectedAlert(
                    labels: Labels(try alert.stringMap("exp_labels")).setting("alertname", to: alertname),
                    annotations: Labels(try alert.stringMap("exp_annotations"))))
        }
        return AlertRuleTest(
            evalTime: try mapping.duration("eval_time") ?? TimeSpan(milliseconds: 0), alertname: alertname, expected: expected,
            position: mapping.position)
    }

    private static func exprTest(_ node: Node, file: String) throws(RuleFileError) -> ExprTest {
        let mapping = try YAMLMapping(node, file: file, what: "a PromQL expression test", allowed: ["expr", "eval_time", "exp_samples"])
        var expected: [ExpectedSample] = []
        for item in try items(mapping, "exp_samples") {
            let sample = try YAMLMapping(item, file: file, what: "an expected sample", allowed: ["labels", "value"])
            let labelText = try sample.string("labels") ?? ""
            let labels: Labels
            do {
                let trimmed = labelText.trimmingCharacters(in: .whitespaces)
                labels = trimmed.isEmpty || trimmed == "{}" ? .empty : try SeriesNotation.labels(labelText)
            } catch {
                throw RuleFileError(at: sample.valuePosition("labels") ?? sample.position, "invalid labels: \(error)")
            }
            let valueText = try sample.string("value") ?? "0"
            guard let value = yamlNumber(valueText) else {
                throw RuleFileError(at: sample.valuePosition("value") ?? sample.position, "'value' must be a number, found '\(valueText)'")
            }
            expected.append(ExpectedSample(labels: labels, value: value))
        }
        return ExprTest(
            expr: try mapping.requiredString("expr", what: "a PromQL expression test"),
            evalTime: try mapping.duration("eval_time") ?? TimeSpan(milliseconds: 0), expected: expected, position: mapping.position)
    }

    /// A YAML float as Go's YAML library reads it: plain numbers, `.inf`, `-.inf`, `.nan`, and Go's `Inf`/`NaN` spellings.
    static func yamlNumber(_ text: String) -> Double? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case ".inf", "+.inf", "inf", "+inf": return .infinity
        case "-.inf", "-inf": return -.infinity
        case ".nan", "nan": return .nan
        case let plain: return Double(plain.replacingOccurrences(of: "_", with: ""))
        }
    }

    private static func positive(_ mapping: YAMLMapping, _ key: String) throws(RuleFileError) -> TimeSpan? {
        guard let span = try mapping.duration(key) else { return nil }
        guard span.milliseconds > 0 else { throw RuleFileError(at: mapping.valuePosition(key) ?? mapping.position, "'\(key)' must be positive") }
        return span
    }

    private static func items(_ mapping: YAMLMapping, _ key: String) throws(RuleFileError) -> [Node] {
        guard let node = mapping.node(key) else { return [] }
        if case .scalar(let scalar) = node, Node.scalar(scalar).null != nil { return [] }
        guard case .sequence(let sequence) = node else {
            throw RuleFileError(at: YAMLMapping.position(of: node, in: mapping.file), "'\(key)' must be a list, found \(node.kindName)")
        }
        return Array(sequence)
    }
}
