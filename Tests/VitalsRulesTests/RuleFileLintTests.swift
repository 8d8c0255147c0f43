import Foundation
import Testing
import VitalsCore
import VitalsRules
import VitalsTestSupport

@Suite struct RuleFileLintTests {
    static func lint(_ rules: String, interval: String = "interval: 1m") throws -> [String] {
        let text = """
            groups:
              - name: api
                \(interval)
                rules:
            \(rules)
            """
        return RuleLinter().lint(try RuleFileLoader.parse(text, file: "rules.yml")).map(\.description)
    }

    @Test func cleanFileHasNoFindings() throws {
        let findings = try Self.lint(
            """
                  - alert: HighErrorRate
                    expr: error_ratio
                    for: 5m
                    thresholds: {warning: 2%, critical: 5%}
                    resolve: error_ratio < 1%
                    labels: {severity: warning}
            """)
        #expect(findings == [])
    }

    /// `severity: page` is a valid label: the check passes, with a warning that it does not order escalations.
    @Test func prometheusExamplePassesWithWarningsForItsPagerSeverity() throws {
        let findings = RuleLinter().lint(try RuleFileLoader.parse(prometheusDocsRuleFile, file: "prom.yml"))
        #expect(findings.allSatisfy { $0.level == .warning })
        #expect(findings.map(\.position.description) == ["prom.yml:8:5", "prom.yml:25:5"])
    }

    @Test(arguments: [
        // One name at two severities is what the mixins do and promtool accepts without a word; with the same labels
        // promtool warns "duplicate rule(s) found", and so does vitals.
        (
            "      - alert: A\n        expr: x > 1\n        labels: {severity: warning}\n      - alert: A\n        expr: x > 2\n        labels: {severity: critical}",
            []
        ),
        (
            "      - alert: A\n        expr: x > 1\n      - alert: A\n        expr: x > 2",
            ["rules.yml:7:9: warning: alert 'A' has the same name and labels as the one at rules.yml:5:9; their alerts cannot be told apart"]
        ),
        (
            "      - alert: A\n        expr: x > 1\n        for: 30s",
            ["rules.yml:7:9: error: 'for: 30s' of 'A' is shorter than the group interval 1m; use 0s or at least 1m"]
        ),
        ("      - alert: A\n        expr: x > 1\n        for: 1m", []),
        ("      - alert: A\n        expr: x > 1\n        for: 0s", []),
        (
            "      - alert: A\n        expr: x\n        thresholds: {warning: 5%, critical: 2%}",
            ["rules.yml:7:45: error: threshold 'warning: 0.05' must be below 'critical: 0.02' for op '>'"]
        ),
        (
            "      - alert: A\n        expr: x\n        thresholds: {op: <, warning: 60%, critical: 80%}",
            ["rules.yml:7:53: error: threshold 'warning: 0.6' must be above 'critical: 0.8' for op '<'"]
        ),
        ("      - alert: A\n        expr: x\n        thresholds: {op: <, warning: 80%, critical: 60%}", []),
        (
            "      - alert: A\n        expr: x > 5%\n        resolve: x < 6%",
            ["rules.yml:7:18: error: resolve condition 'x < 6%' overlaps the fire condition 'x > 5%': for values in (0.05, 0.06) both hold"]
        ),
        (
            "      - alert: A\n        expr: x >= 5\n        resolve: x <= 5",
            ["rules.yml:7:18: error: resolve condition 'x <= 5' overlaps the fire condition 'x >= 5': for values in [5, 5] both hold"]
        ),
        ("      - alert: A\n        expr: x > 5\n        resolve: x <= 5", []),
        ("      - alert: A\n        expr: rate(x[5m]) > 5\n        resolve: rate(x[5m])  <  4", []),
        (
            "      - alert: A\n        expr: x\n        thresholds: {warning: 2%, critical: 5%}\n        resolve: x < 3%",
            ["rules.yml:8:18: error: resolve condition 'x < 3%' overlaps the fire condition 'x > 0.02': for values in (0.02, 0.03) both hold"]
        ),
        // Different left-hand sides are not compared: the linter cannot tell how they relate.
        ("      - alert: A\n        expr: x > 5\n        resolve: y < 6", []),
        (
            "      - alert: A\n        expr: x > 1\n        labels: {severity: page}",
            [
                "rules.yml:7:9: warning: severity 'page' of 'A' is kept as a label, but is not one of info, warning, critical: its notifications carry no severity and never escalate"
            ]
        ),
    ])
    func findings(rules: String, expected: [String]) throws {
        #expect(try Self.lint(rules) == expected)
    }

    @Test func groupWithoutIntervalUsesTheLinterDefault() throws {
        let text = "groups:\n  - name: api\n    rules:\n      - alert: A\n        expr: x > 1\n        for: 90s\n"
        let file = try RuleFileLoader.parse(text, file: "rules.yml")
        #expect(RuleLinter().lint(file).isEmpty)
        #expect(
            RuleLinter(defaultInterval: .minutes(2)).lint(file).map(\.description) == [
                "rules.yml:6:9: error: 'for: 1m30s' of 'A' is shorter than the group interval 2m; use 0s or at least 2m"
            ])
    }

    @Test(arguments: [
        ("rate(errors[5m]) > 0.05", "rate(errors[5m])", ComparisonOperator.greater, 0.05),
        (#"sum(x{job=~"a|b", env!="dev"}) >= 5%"#, #"sum(x{job=~"a|b", env!="dev"})"#, .greaterOrEqual, 0.05),
        ("up == 0", "up", .equal, 0),
        ("3 < x", "x", .greater, 3),
        ("0.5 >= (x)", "x", .lessOrEqual, 0.5),
    ])
    func recognisesThresholdConditions(text: String, lhs: String, op: ComparisonOperator, threshold: Double) throws {
        let expected = ThresholdCondition(lhs: try ExpressionParser.parse(lhs), op: op, threshold: threshold)
        #expect(ThresholdCondition(recognising: try ExpressionParser.parse(text)) == expected)
    }

    @Test(arguments: ["x > y", "x > 1 and y < 2", "rate(x[5m])", "x > bool 3", "x != 3", #"x{le=">5"}"#])
    func rejectsAnythingElse(text: String) throws {
        #expect(ThresholdCondition(recognising: try ExpressionParser.parse(text)) == nil)
    }

    @Test func expressionsThatDoNotParseAreFindings() throws {
        let findings = try Self.lint(
            """
                  - record: job:errors:rate5m
                    expr: rate(errors[5m]
                  - alert: A
                    expr: x > 1
                    resolve: x <
            """)
        #expect(
            findings == [
                "rules.yml:6:30: error: unexpected end of input after 'rate(errors[5m]'; expected ')'",
                "rules.yml:9:21: error: unexpected end of input after 'x <'",
            ])
    }

    /// vitals warns about an alert name used twice exactly when promtool's default lint reports "duplicate rule(s)": when the
    /// two rules' labels are the same too, not for one name at two severities.
    @Test(
        .enabled(if: PromtoolDifferentialTests.promtool != nil, "promtool is not installed"),
        arguments: [("{severity: warning}", "{severity: critical}"), ("{severity: warning}", "{severity: warning}"), ("{}", "{}")])
    func aRepeatedAlertNameWarnsWhenPromtoolDoes(first: String, second: String) throws {
        let text = """
            groups:
              - name: node
                rules:
                  - alert: NodeFilesystemSpaceFillingUp
                    expr: node_filesystem_avail_bytes < 100
                    labels: \(first)
                  - alert: NodeFilesystemSpaceFillingUp
                    expr: node_filesystem_avail_bytes < 10
                    labels: \(second)
            """
        let folder = try TemporaryFolder()
        let path = try folder.write("rules.yml", text)
        let findings = RuleLinter().lint(try RuleFileLoader.load(contentsOf: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PromtoolDifferentialTests.promtool!)
        process.arguments = ["check", "rules", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(printed)")
        #expect(findings.allSatisfy { $0.level == .warning })
        #expect(!findings.isEmpty == printed.contains("duplicate rule"), "promtool: \(printed)\nvitals: \(findings)")
    }
}
