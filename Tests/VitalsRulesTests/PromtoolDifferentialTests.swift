import Foundation
import Testing
import VitalsCore
import VitalsRules

/// Evaluates a table of expressions with vitals, writes the results as a `promtool test rules` file over the same input
/// series, and runs promtool on it: promtool passing means Prometheus computes exactly the same vectors.
///
/// Eval times sit both on samples (where a window's start holds a sample, which Prometheus 2 counts) and between them;
/// promtool compares values bit for bit, so the floating-point order of operations is checked too.
@Suite struct PromtoolDifferentialTests {
    struct Case {
        /// The expression vitals parses.
        let expr: String
        /// The same expression in Prometheus' syntax, where vitals' unit literals differ.
        let promql: String

        init(_ expr: String, promql: String? = nil) {
            self.expr = expr
            self.promql = promql ?? expr
        }
    }

    static let evalMinutes = ["5m", "5m30s", "10m", "10m30s", "18m30s", "20m", "20m30s", "26m30s", "30m", "30m30s"]

    static let cases: [Case] = [
        // Selectors, staleness and lookback.
        Case("requests_total"), Case("coverage_ratio"), Case("up"), Case("coverage_ratio offset 5m"), Case(#"up{repo!="api"}"#),
        Case(#"requests_total{code=~"2.."}"#), Case(#"requests_total{repo!~"a.*"}"#), Case(#"{__name__=~"up|coverage_ratio",repo="web"}"#),
        // Extrapolated rates: steady, resetting, starting and ending inside the window, offset, windows longer than the data.
        Case("rate(requests_total[5m])"), Case("rate(requests_total[10m] offset 2m)"), Case("increase(requests_total[10m])"),
        Case("increase(requests_total[3m])"), Case("delta(coverage_ratio[10m])"), Case("rate(requests_total[1h])"),
        Case("increase(requests_total[1h])"), Case("delta(build_seconds[4m])"), Case("increase(requests_total[1m])"),
        // Over-time functions.
        Case("avg_over_time(coverage_ratio[10m])"), Case("min_over_time(coverage_ratio[10m])"), Case("max_over_time(build_seconds[7m])"),
        Case("sum_over_time(coverage_ratio[10m])"), Case("count_over_time(coverage_ratio[10m])"), Case("last_over_time(coverage_ratio[10m])"),
        Case("quantile_over_time(0.9, build_seconds[10m])"), Case("quantile_over_time(0.25, build_seconds[7m])"),
        Case("count_over_time(up[3m] offset 1m)"),
        // Absence.
        Case(#"absent(nonexistent{repo="x",team="y"})"#), Case(#"absent(up{job="ci"})"#), Case(#"absent_over_time(up{repo="api"}[2m])"#),
        Case(#"absent(nonexistent{repo="x",repo="y",team=~"z"})"#), Case("absent(sum(nonexistent))"),
        // Instant functions.
        Case("abs(coverage_ratio - 100)"), Case("clamp_min(coverage_ratio, 80)"), Case("clamp_max(coverage_ratio, 80)"),
        Case("round(coverage_ratio / 3)"), Case("round(build_seconds / 7, 0.5)"), Case("scalar(sum(up))"), Case("vector(time())"),
        Case("time()"), Case("vector(scalar(up{repo=\"web\"}) * 2)"),
        // Aggregations, grouping before and after.
        Case("sum(requests_total)"), Case("sum by (repo) (requests_total)"), Case("sum(requests_total) without (code)"),
        Case("avg by (repo) (coverage_ratio)"), Case("avg(build_seconds)"), Case("min(coverage_ratio)"), Case("max by (job) (up)"),
        Case("count without (repo) (up)"), Case("quantile(0.5, build_seconds) by (repo)"), Case("quantile by (code) (0.75, requests_total)"),
        Case("count(sum by (repo, code) (requests_total))"),
        // Arithmetic and precedence.
        Case("requests_total * 2 + 1"), Case("2 ^ 3 ^ 2"), Case("-2 ^ 2"), Case("-coverage_ratio"), Case("coverage_ratio % 7"),
        Case("10 / coverage_ratio"), Case("1 + 2 * 3 - 4 / 8"), Case("(1 + 2) * 3"), Case("coverage_ratio - 1 - 2"), Case("2 ^ -1"),
        // Comparisons, filtering and bool.
        Case("coverage_ratio > 80"), Case("coverage_ratio > bool 80"), Case("80 < coverage_ratio"), Case("80 >= bool coverage_ratio"),
        Case("up == 1"), Case("up != bool 0"), Case("1 < bool 2"), Case("coverage_ratio <= 79"),
        // Vector matching and set operators.
        Case("sum by (repo) (requests_total) / on(repo) coverage_ratio"), Case("coverage_ratio - ignoring(job) up"),
        Case("coverage_ratio > on(repo) build_seconds"), Case("up and on(repo) coverage_ratio > 80"), Case("up or coverage_ratio"),
        Case("up unless on(repo) build_seconds"), Case("coverage_ratio == bool ignoring(job) up"), Case("up and up == 1"),
        Case("coverage_ratio or on(repo) up"), Case("max(coverage_ratio) + on() min(build_seconds)"),
        // Functions of real rule collections (kube-prometheus, node-exporter mixins) and the rest of Prometheus 2.42's.
        Case("histogram_quantile(0.9, rate(latency_seconds_bucket[5m]))"),
        Case("histogram_quantile(0.5, sum by (le) (rate(latency_seconds_bucket[10m])))"),
        Case("histogram_quantile(0.99, latency_seconds_bucket)"), Case("histogram_quantile(0, latency_seconds_bucket)"),
        Case("histogram_quantile(1.5, latency_seconds_bucket)"), Case("histogram_quantile(0.5, sum without (repo) (latency_seconds_bucket))"),
        Case(#"label_replace(up, "host", "$1-x", "repo", "(a.*)")"#), Case(#"label_replace(requests_total, "class", "${1}xx", "code", "([0-9])..")"#),
        Case(#"label_replace(up, "job", "", "job", ".*")"#), Case(#"label_replace(up, "r", "$name$$", "repo", "(?P<name>w)(eb)")"#),
        Case(#"label_join(up, "id", "/", "job", "repo")"#), Case(#"label_join(requests_total, "code", "-", "code", "repo")"#),
        Case(#"label_join(up, "nothing", ",")"#),
        Case("predict_linear(coverage_ratio[10m], 3600)"), Case("predict_linear(requests_total[15m] offset 2m, 600)"),
        Case("deriv(build_seconds[10m])"), Case("deriv(requests_total[5m])"), Case("holt_winters(build_seconds[10m], 0.5, 0.3)"),
        Case("stddev_over_time(build_seconds[10m])"), Case("stdvar_over_time(coverage_ratio[7m])"), Case("present_over_time(up[5m])"),
        Case("irate(requests_total[5m])"), Case("idelta(build_seconds[5m])"), Case("changes(build_seconds[10m])"),
        Case("changes(up[10m])"), Case("resets(requests_total[30m])"),
        Case("stddev(build_seconds)"), Case("stdvar by (repo) (coverage_ratio)"), Case("stddev(requests_total)"),
        Case("topk(1, requests_total)"), Case("bottomk by (repo) (1, coverage_ratio)"), Case("topk(0, up)"),
        Case(#"count_values("value", up)"#), Case(#"count_values by (repo) ("v", coverage_ratio)"#), Case("group by (repo) (requests_total)"),
        Case("quantile(0.3, requests_total)"), Case("sort(coverage_ratio)"), Case("sort_desc(requests_total)"),
        Case("clamp(coverage_ratio, 79, 81)"), Case("clamp(coverage_ratio, 81, 79)"),
        Case("timestamp(up)"), Case("timestamp(abs(coverage_ratio))"), Case("timestamp(coverage_ratio offset 3m)"),
        Case("day_of_month()"), Case("day_of_week(vector(1700000000))"), Case("day_of_year(vector(1709251200))"),
        Case("days_in_month(vector(1709251200 - 86400))"), Case("hour(vector(time() + 86400 * 400 + 3600 * 7))"), Case("minute()"),
        Case("month(vector(1700000000))"), Case("year(vector(-1))"), Case("year(build_seconds * 1e8)"),
        Case("ceil(coverage_ratio / 7)"), Case("floor(coverage_ratio / 7)"), Case("sqrt(build_seconds)"), Case("ln(build_seconds)"),
        Case("exp(up)"), Case("log2(build_seconds)"), Case("log10(build_seconds)"), Case("sgn(coverage_ratio - 79)"),
        Case("ln(coverage_ratio)"), Case("log2(requests_total)"), Case("log10(requests_total * 1000)"), Case("deg(up)"),
        Case("rad(build_seconds)"), Case("cos(up)"), Case("vector(pi())"),
        // Many-to-one matching, as the kubernetes mixin joins info metrics.
        Case("requests_total * on(repo) group_left(team) repo_info"), Case("repo_info * on(repo) group_right(team) requests_total"),
        Case("requests_total > on(repo) group_left repo_info"),
        Case("requests_total / ignoring(code) group_left sum without (code) (requests_total)"),
        Case("sum(requests_total) BY (repo) AND ON(repo) up"), Case("up + up + up - up * 2"), Case("coverage_ratio - 1 - 2 - 3 > bool 70"),
        // Unit literals (Prometheus spells them as plain numbers).
        Case("coverage_ratio / 100 > 79%", promql: "coverage_ratio / 100 > 0.79"), Case("time() - 10m", promql: "time() - 600"),
        Case("vector(1h30m)", promql: "vector(5400)"), Case("vector(5% * 2)", promql: "vector(0.05 * 2)"),
    ]

    static var promtool: String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: promtool != nil, "promtool is not installed (apt-get install prometheus); differential tests skipped"))
    func vitalsAndPromtoolAgree() throws {
        let evaluator = Evaluator(querier: FixtureSeries.standardQuerier)
        var yaml = "rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for series in FixtureSeries.standard {
            yaml += "      - series: '\(series.selector)'\n        values: '\(series.promtoolValues)'\n"
        }
        yaml += "    promql_expr_test:\n"
        var checked = 0
        for testCase in Self.cases {
            let expr = try ExpressionParser.parse(testCase.expr)
            for evalTime in Self.evalMinutes {
                let time = Timestamp(milliseconds: try TimeSpan(parsing: evalTime).milliseconds)
                let samples: [(labels: String, value: Double)]
                switch try evaluator.instant(expr, at: time) {
                case .scalar(let value): samples = [("{}", value)]
                case .vector(let vector): samples = vector.map { (PromtoolFormat.labels($0.labels), $0.value) }
                case .matrix:
                    Issue.record("\(testCase.expr) is a range vector, which promtool cannot compare")
                    continue
                }
                yaml += "      - expr: '\(testCase.promql.replacingOccurrences(of: "'", with: "''"))'\n        eval_time: \(evalTime)\n"
                yaml += samples.isEmpty ? "        exp_samples: []\n" : "        exp_samples:\n"
                for sample in samples {
                    yaml += "          - labels: '\(sample.labels)'\n            value: \(PromtoolFormat.number(sample.value))\n"
                }
                checked += 1
            }
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("differential_test.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.promtool!)
        process.arguments = ["test", "rules", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(checked == Self.cases.count * Self.evalMinutes.count)
        #expect(process.terminationStatus == 0, "promtool disagrees:\n\(text)")
    }
}
