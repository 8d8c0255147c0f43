import Foundation
import Testing
import VitalsTestSupport
import VitalsCore
import VitalsRules

/// The Prometheus documentation's alerting and recording rule examples, verbatim except for distinct group names.
let prometheusDocsRuleFile = """
    groups:
    - name: example
      rules:
      - alert: HighRequestLatency
        expr: job:request_latency_seconds:mean5m{job="myjob"} > 0.5
        for: 10m
        keep_firing_for: 5m
        labels:
          severity: page
        annotations:
          summary: High request latency
    - name: recording
      interval: 30s
      limit: 10
      rules:
      - record: code:prometheus_http_requests_total:sum
        expr: sum by (code) (prometheus_http_requests_total)
    - name: instances
      rules:

      # Alert for any instance that is unreachable for >5 minutes.
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels:
          severity: page
        annotations:
          summary: "Instance {{ $labels.instance }} down"
          description: "{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes."

      # Alert for any instance that has a median request latency >1s.
      - alert: APIHighRequestLatency
        expr: api_http_request_latencies_second{quantile="0.5"} > 1
        for: 10m
        annotations:
          summary: "High request latency on {{ $labels.instance }}"
          description: "{{ $labels.instance }} has a median request latency above 1s (current value: {{ $value }}s)"

    """

@Suite struct RuleFileLoaderTests {
    @Test func prometheusDocumentationExampleLoadsUnchanged() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("prometheus.yml", prometheusDocsRuleFile)
        let file = try RuleFileLoader.load(contentsOf: path)

        #expect(file.groups.map(\.name) == ["example", "recording", "instances"])
        let latency = try #require(file.groups.first?.rules.first)
        #expect(latency.kind == .alert)
        #expect(latency.name == "HighRequestLatency")
        #expect(latency.expr.text == #"job:request_latency_seconds:mean5m{job="myjob"} > 0.5"#)
        #expect(latency.expr.position == SourcePosition(file: path, line: 5, column: 11))
        #expect(latency.holdDuration == .minutes(10))
        #expect(latency.keepFiringFor == .minutes(5))
        #expect(latency.labels == ["severity": "page"])
        #expect(latency.annotations == ["summary": "High request latency"])
        #expect(latency.cooldown == .hours(4))
        #expect(latency.noData == .ok)
        #expect(latency.sendResolved)
        #expect(latency.resolve == nil && latency.thresholds == nil)

        let recording = file.groups[1]
        #expect(recording.interval == .seconds(30))
        #expect(recording.limit == 10)
        #expect(recording.rules.map(\.kind) == [.record])
        #expect(recording.rules[0].expr.text == "sum by (code) (prometheus_http_requests_total)")

        let instances = file.groups[2].rules
        #expect(instances.map(\.name) == ["InstanceDown", "APIHighRequestLatency"])
        #expect(
            instances[1].annotations["description"] == "{{ $labels.instance }} has a median request latency above 1s (current value: {{ $value }}s)")
        #expect(instances[1].position == SourcePosition(file: path, line: 32, column: 5))
    }

    /// The same text passes Prometheus' own checker, so the fixture really is a Prometheus rule file.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")))
    func prometheusDocumentationExamplePassesPromtool() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("prometheus.yml", prometheusDocsRuleFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        process.arguments = ["check", "rules", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text.contains("SUCCESS: 4 rules found"))
    }

    @Test func extensionsLoad() throws {
        let text = """
            groups:
              - name: api
                interval: 5m
                rules:
                  - alert: HighErrorRate
                    expr: error_ratio{service="api"}
                    thresholds: {warning: 2%, critical: 0.05}
                    resolve: error_ratio{service="api"} < 1%
                    cooldown: 1h
                    group_key: [service, team]
                    no_data: keep_last
                    notify: [slack-ops, pagerduty]
                    send_resolved: false
                    lookback: 2h
                  - alert: CoverageDrop
                    expr: coverage_ratio
                    thresholds: {op: "<", warning: 80%, critical: 60%}
                    notify: slack-dev
            """
        let rules = try RuleFileLoader.parse(text, file: "rules.yml").groups[0].rules
        let errors = rules[0]
        #expect(errors.thresholds == Thresholds(op: .greater, levels: [.warning: 0.02, .critical: 0.05], positions: errors.thresholds!.positions))
        #expect(errors.thresholds?.positions[.critical] == SourcePosition(file: "rules.yml", line: 7, column: 45))
        #expect(errors.resolve?.text == #"error_ratio{service="api"} < 1%"#)
        #expect(errors.cooldown == .hours(1))
        #expect(errors.groupKey == ["service", "team"])
        #expect(errors.noData == .keepLast)
        #expect(errors.notify == ["slack-ops", "pagerduty"])
        #expect(errors.sendResolved == false)
        #expect(errors.lookback == .hours(2))
        #expect(rules[1].thresholds?.op == .less)
        #expect(rules[1].thresholds?.levels == [.warning: 0.8, .critical: 0.6])
        #expect(rules[1].notify == ["slack-dev"])
    }

    @Test func emptyFileHasNoGroups() throws {
        #expect(try RuleFileLoader.parse("", file: "empty.yml").groups.isEmpty)
    }

    @Test func missingFileNamesThePath() {
        #expect {
            _ = try RuleFileLoader.load(contentsOf: "/nonexistent/rules.yml")
        } throws: { error in
            (error as? RuleFileError)?.description.hasPrefix("/nonexistent/rules.yml:1:1: the rule file does not exist") == true
        }
    }

    static let ruleHeader = """
        groups:
          - name: api
            rules:
              - alert: HighErrorRate

        """

    @Test(arguments: [
        (
            "        expr: rate(errors[5m]) > 0.05\n        fro: 5m",
            "rules.yml:6:9: unknown key 'fro' in a rule (did you mean 'for'?); allowed keys: alert, record, expr, for, keep_firing_for, "
                + "labels, annotations, cooldown, resolve, thresholds, group_key, no_data, notify, send_resolved, lookback"
        ),
        (
            "        expr: x > 1\n        for: 5 minutes",
            "rules.yml:6:14: 'for': invalid duration '5 minutes': '5' has no unit; accepted units: ms, s, m, h, d, w, y"
        ),
        ("        expr: x > 1\n        no_data: maybe", "rules.yml:6:18: 'no_data' must be one of ok, alerting, keep_last, found 'maybe'"),
        ("        expr: x > 1\n        send_resolved: sometimes", "rules.yml:6:24: 'send_resolved' must be true or false, found 'sometimes'"),
        (
            "        expr: x\n        thresholds: {warning: two}",
            "rules.yml:6:31: threshold 'warning' must be a number such as 0.05 or 5%, found 'two'"
        ),
        (
            "        expr: x\n        thresholds: {warning: 1, critcal: 2}",
            "rules.yml:6:34: unknown key 'critcal' in 'thresholds' (did you mean 'critical'?); allowed keys: op, info, warning, critical"
        ),
        ("        expr: x\n        thresholds: {op: \"==\", warning: 1}", "rules.yml:6:26: 'op' must be one of >, >=, <, <=, found '=='"),
        ("        for: 5m", "rules.yml:4:9: rule 'HighErrorRate' has no 'expr'"),
        ("        expr: \"  \"", "rules.yml:5:16: 'expr' must not be empty"),
        ("        record: x\n        expr: y", "rules.yml:5:9: a rule has either 'alert' or 'record', not both"),
        ("        expr: x > 1\n        labels: [a, b]", "rules.yml:6:17: 'labels' must be a mapping of names to strings, found a list"),
        (
            "        expr: \"x > 1\n",
            "rules.yml:6:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 5, column 15)"
        ),
        ("        expr: x\n        expr: y", "rules.yml:5:9: duplicate key 'expr' in a mapping"),
    ])
    func ruleErrorsPointAtTheNode(body: String, expected: String) {
        #expect {
            _ = try RuleFileLoader.parse(Self.ruleHeader + body, file: "rules.yml")
        } throws: { error in
            (error as? RuleFileError)?.description == expected
        }
    }

    @Test(arguments: [
        ("group:\n  - name: a", "rules.yml:1:1: unknown key 'group' in a rule file (did you mean 'groups'?); allowed keys: groups"),
        ("groups: {name: a}", "rules.yml:1:9: 'groups' must be a list, found a mapping"),
        ("groups:\n  - rules: []", "rules.yml:2:5: a group has no 'name'"),
        ("groups:\n  - name: a\n  - name: a", "rules.yml:3:5: group name 'a' is repeated in the file; the first one is at rules.yml:2:5"),
        (
            "groups:\n  - name: a\n    rules:\n      - record: r\n        expr: x\n        cooldown: 1h",
            "rules.yml:6:9: 'cooldown' applies to alerting rules only; 'r' is a recording rule"
        ),
        (
            "groups:\n  - name: a\n    rules:\n      - expr: x",
            "rules.yml:4:9: a rule needs 'alert' (an alerting rule) or 'record' (a recording rule)"
        ),
        (
            "groups:\n  - name: a\n    interval: often",
            "rules.yml:3:15: 'interval': invalid duration 'often': expected a whole number before a unit, as in 30s, 5m, 2h, 7d"
        ),
    ])
    func fileErrorsPointAtTheNode(text: String, expected: String) {
        #expect {
            _ = try RuleFileLoader.parse(text, file: "rules.yml")
        } throws: { error in
            (error as? RuleFileError)?.description == expected
        }
    }
}
