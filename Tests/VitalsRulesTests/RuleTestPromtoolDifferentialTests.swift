import Foundation
import Testing
import VitalsRules
import VitalsTestSupport

/// Runs the same plain Prometheus rule file and test groups through `promtool test rules` and vitals' runner, one test
/// group per file, and requires the same verdict from both, and the verdict each case was written to have.
///
/// Series end with `stale` rather than running out, and checks avoid the instant exactly 5m after a sample, where
/// Prometheus 2 (what Debian ships) and Prometheus 3 (what vitals implements) disagree on the lookback window's edge.
@Suite struct RuleTestPromtoolDifferentialTests {
    static let rules = """
        groups:
          - name: app
            rules:
              - record: job:requests:rate2m
                expr: sum by (job) (rate(requests_total[2m]))
              - alert: HighLatency
                expr: latency_seconds > 0.5
                for: 3m
                labels:
                  severity: warning
                  team: "{{ $labels.job }}-oncall"
                annotations:
                  summary: "{{ $labels.job }} latency {{ $value | humanizeDuration }}"
                  ratio: "{{ humanizePercentage $value }} {{ humanize $value }}"
              - alert: Down
                expr: up == 0
                keep_firing_for: 2m
              - alert: TrafficHigh
                expr: job:requests:rate2m > 1
              - record: job:latency:p90
                expr: histogram_quantile(0.9, sum by (job, le) (rate(latency_bucket[2m])))
              - alert: TeamDown
                expr: label_replace(up == 0, "svc", "$1", "job", "(.+)") * on(job) group_left(team) job_info
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.svc }} of {{ $labels.team }} down"
              - alert: LatencyBudget
                expr: latency_seconds > 0.5
                labels: {severity: warning}
              - alert: LatencyBudget
                expr: latency_seconds > 0.75
                for: 2m
                labels: {severity: critical}
              - alert: Twice
                expr: up == 0
              - alert: Twice
                expr: up < 1
        """

    static let series = """
            input_series:
              - series: 'latency_seconds{job="api"}'
                values: '0.1 0.6 0.7 0.8x3 0.2 0.9x6 stale'
              - series: 'latency_seconds{job="web"}'
                values: '0.7x12 stale'
              - series: 'up{job="api"}'
                values: '1 1 0 0 1x8'
              - series: 'requests_total{job="api"}'
                values: '0+30x12'
              - series: 'requests_total{job="web"}'
                values: '0+120x12'
              - series: 'gaps'
                values: '1 _x2 4 1-2x3 stale _ 9'
              - series: 'latency_bucket{job="api",le="0.25"}'
                values: '0+3x12'
              - series: 'latency_bucket{job="api",le="1"}'
                values: '0+8x12'
              - series: 'latency_bucket{job="api",le="+Inf"}'
                values: '0+10x12'
              - series: 'job_info{job="api",team="core"}'
                values: '1x12'
        """

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let passes: Bool
        let checks: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "pending until for has passed", passes: true, checks: """
                alert_rule_test:
                  - eval_time: 3m
                    alertname: HighLatency
                    exp_alerts:
                      - exp_labels: {job: web, severity: warning, team: web-oncall}
                        exp_annotations: {summary: "web latency 700ms", ratio: "70% 700m"}
                  - eval_time: 2m
                    alertname: HighLatency
            """),
        Case(name: "firing too early is wrong", passes: false, checks: """
                alert_rule_test:
                  - eval_time: 2m
                    alertname: HighLatency
                    exp_alerts:
                      - exp_labels: {job: web, severity: warning, team: web-oncall}
                        exp_annotations: {summary: "web latency 700ms", ratio: "70% 700m"}
            """),
        Case(name: "one false evaluation resets pending; alerts compared as sets", passes: true, checks: """
                alert_rule_test:
                  - eval_time: 9m30s
                    alertname: HighLatency
                    exp_alerts:
                      - exp_labels: {job: web, severity: warning, team: web-oncall}
                        exp_annotations: {summary: "web latency 700ms", ratio: "70% 700m"}
                  - eval_time: 11m
                    alertname: HighLatency
                    exp_alerts:
                      - exp_labels: {job: web, severity: warning, team: web-oncall}
                        exp_annotations: {summary: "web latency 700ms", ratio: "70% 700m"}
                      - exp_labels: {job: api, severity: warning, team: api-oncall}
                        exp_annotations: {summary: "api latency 900ms", ratio: "90% 900m"}
            """),
        Case(name: "a wrong annotation fails", passes: false, checks: """
                alert_rule_test:
                  - eval_time: 3m
                    alertname: HighLatency
                    exp_alerts:
                      - exp_labels: {job: web, severity: warning, team: web-oncall}
                        exp_annotations: {summary: "web latency 0.7s", ratio: "70% 700m"}
            """),
        Case(name: "keep_firing_for holds a cleared alert", passes: true, checks: """
                alert_rule_test:
                  - eval_time: 4m
                    alertname: Down
                    exp_alerts:
                      - exp_labels: {job: api}
                  - eval_time: 5m
                    alertname: Down
                    exp_alerts:
                      - exp_labels: {job: api}
                  - eval_time: 6m
                    alertname: Down
            """),
        Case(name: "keep_firing_for is not forever", passes: false, checks: """
                alert_rule_test:
                  - eval_time: 6m
                    alertname: Down
                    exp_alerts:
                      - exp_labels: {job: api}
            """),
        Case(name: "recording rules feed alerts and expressions", passes: true, checks: """
                alert_rule_test:
                  - eval_time: 5m
                    alertname: TrafficHigh
                    exp_alerts:
                      - exp_labels: {job: web}
                promql_expr_test:
                  - expr: job:requests:rate2m
                    eval_time: 5m
                    exp_samples:
                      - labels: 'job:requests:rate2m{job="api"}'
                        value: 0.5
                      - labels: 'job:requests:rate2m{job="web"}'
                        value: 2
            """),
        Case(name: "a wrong sample value fails", passes: false, checks: """
                promql_expr_test:
                  - expr: job:requests:rate2m{job="api"}
                    eval_time: 5m
                    exp_samples:
                      - labels: 'job:requests:rate2m{job="api"}'
                        value: 0.6
            """),
        Case(name: "expanding notation, gaps and staleness", passes: true, checks: """
                promql_expr_test:
                  - expr: gaps
                    eval_time: 2m
                    exp_samples:
                      - labels: 'gaps'
                        value: 1
                  - expr: gaps
                    eval_time: 6m
                    exp_samples:
                      - labels: 'gaps'
                        value: -3
                  - expr: gaps
                    eval_time: 8m
                  - expr: gaps
                    eval_time: 10m
                    exp_samples:
                      - labels: 'gaps'
                        value: 9
                  - expr: count_over_time(gaps[10m])
                    eval_time: 10m30s
                    exp_samples:
                      - labels: '{}'
                        value: 6
            """),
        Case(name: "a sample from a blank step fails", passes: false, checks: """
                promql_expr_test:
                  - expr: count_over_time(gaps[3m])
                    eval_time: 3m
                    exp_samples:
                      - labels: '{}'
                        value: 3
            """),
        Case(name: "histogram quantile of recorded bucket rates", passes: true, checks: """
                promql_expr_test:
                  - expr: job:latency:p90
                    eval_time: 5m
                    exp_samples:
                      - labels: 'job:latency:p90{job="api"}'
                        value: 1
                  - expr: histogram_quantile(0.9, latency_bucket)
                    eval_time: 1m
                    exp_samples:
                      - labels: '{job="api"}'
                        value: 1
            """),
        Case(name: "a wrong quantile fails", passes: false, checks: """
                promql_expr_test:
                  - expr: job:latency:p90
                    eval_time: 5m
                    exp_samples:
                      - labels: 'job:latency:p90{job="api"}'
                        value: 0.9
            """),
        Case(name: "severity page, label_replace and group_left in an alert", passes: true, checks: """
                alert_rule_test:
                  - eval_time: 3m
                    alertname: TeamDown
                    exp_alerts:
                      - exp_labels: {job: api, svc: api, team: core, severity: page}
                        exp_annotations: {summary: "api of core down"}
                  - eval_time: 4m
                    alertname: TeamDown
            """),
        Case(name: "a label group_left did not copy fails", passes: false, checks: """
                alert_rule_test:
                  - eval_time: 3m
                    alertname: TeamDown
                    exp_alerts:
                      - exp_labels: {job: api, svc: api, severity: page}
                        exp_annotations: {summary: "api of core down"}
            """),
        Case(name: "one alert name at two severities: both rules' alerts under the name", passes: true, checks: """
                alert_rule_test:
                  - eval_time: 4m
                    alertname: LatencyBudget
                    exp_alerts:
                      - exp_labels: {job: api, severity: warning}
                      - exp_labels: {job: web, severity: warning}
                  - eval_time: 5m
                    alertname: LatencyBudget
                    exp_alerts:
                      - exp_labels: {job: web, severity: warning}
                      - exp_labels: {job: api, severity: critical}
                      - exp_labels: {job: api, severity: warning}
                  - eval_time: 7m
                    alertname: LatencyBudget
                    exp_alerts:
                      - exp_labels: {job: web, severity: warning}
            """),
        Case(name: "one alert name at two severities: the critical rule's alert missing fails", passes: false, checks: """
                alert_rule_test:
                  - eval_time: 5m
                    alertname: LatencyBudget
                    exp_alerts:
                      - exp_labels: {job: api, severity: warning}
                      - exp_labels: {job: web, severity: warning}
            """),
        Case(name: "two rules of one name alerting on the same labels: the alert counts twice", passes: true, checks: """
                alert_rule_test:
                  - eval_time: 2m
                    alertname: Twice
                    exp_alerts:
                      - exp_labels: {job: api}
                      - exp_labels: {job: api}
            """),
        Case(name: "two rules of one name alerting on the same labels: once is not enough", passes: false, checks: """
                alert_rule_test:
                  - eval_time: 2m
                    alertname: Twice
                    exp_alerts:
                      - exp_labels: {job: api}
            """),
    ]

    @Test(.enabled(if: PromtoolDifferentialTests.promtool != nil, "promtool is not installed (apt-get install prometheus)"), arguments: cases)
    func sameVerdictAsPromtool(_ testCase: Case) throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("rules.yml", Self.rules)
        let test = "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n" + Self.series + "\n" + testCase.checks + "\n"
        let path = try folder.write("test.yml", test)
        let promtoolPasses = try Self.promtoolPasses(path, in: folder.url)
        let vitals = RuleTestRunner.run(contentsOf: path)
        #expect(promtoolPasses == testCase.passes, "promtool: \(promtoolPasses)")
        #expect(vitals.passed == testCase.passes, "\(RuleTestReport.render(vitals))")
    }

    static func promtoolPasses(_ path: String, in folder: URL) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PromtoolDifferentialTests.promtool!)
        process.arguments = ["test", "rules", path]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
