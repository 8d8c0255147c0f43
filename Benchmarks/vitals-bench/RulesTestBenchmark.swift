import Foundation

/// `vitals rules test` against `promtool test rules` on one large test file: 100 series × 1,440 one-minute samples,
/// 50 alerting rules, an alert test every 10 minutes with the alerts both tools must agree on.
struct RulesTestBenchmark {
    let folder: URL
    static let seriesCount = 100
    static let samples = 1440
    static let ruleCount = 50

    func run() throws {
        let directory = folder.appendingPathComponent("rules-test")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try rules().write(to: directory.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        let test = directory.appendingPathComponent("test.yml")
        try testFile().write(to: test, atomically: true, encoding: .utf8)
        let vitals = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vitals").path
        let promtool = "/usr/bin/promtool"
        print("rules test: \(Self.seriesCount) series × \(Self.samples) samples, \(Self.ruleCount) rules, alert tests every 10m")
        let ours = try measure(runs: 5) { try spawnProgram(vitals, ["rules", "test", test.path]) }
        line("  vitals rules test (median of 5)", "\(format(ours.median)) s")
        guard FileManager.default.isExecutableFile(atPath: promtool) else {
            line("  promtool test rules", "not installed")
            return
        }
        // promtool takes minutes a run: RULES_TEST_PROMTOOL_RUNS lowers its runs while iterating, 0 skips it.
        let promtoolRuns = ProcessInfo.processInfo.environment["RULES_TEST_PROMTOOL_RUNS"].flatMap { Int($0) } ?? 5
        guard promtoolRuns > 0 else {
            line("  promtool test rules", "skipped (RULES_TEST_PROMTOOL_RUNS=0)")
            return
        }
        let theirs = try measure(runs: promtoolRuns) { try spawnProgram(promtool, ["test", "rules", test.path]) }
        line("  promtool test rules (median of \(promtoolRuns))", "\(format(theirs.median)) s")
        line("  promtool / vitals", "\(format(theirs.median / ours.median))×")
    }

    /// Rule `r` fires for series whose value, a sawtooth `(minute + series) % 60`, exceeds `10 + r` for `for: 2m`.
    private func rules() -> String {
        var text = "groups:\n  - name: bench\n    rules:\n"
        for rule in 0..<Self.ruleCount {
            text += "      - alert: Rule\(rule)\n        expr: load > \(10 + rule)\n        for: 2m\n"
            text += "        annotations:\n          summary: \"{{ $labels.instance }} at {{ $value }}\"\n"
        }
        return text
    }

    private func testFile() -> String {
        var text = "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for series in 0..<Self.seriesCount {
            let values = (0..<Self.samples).map { String(value(series: series, minute: $0)) }.joined(separator: " ")
            text += "      - series: 'load{instance=\"i\(series)\"}'\n        values: '\(values)'\n"
        }
        text += "    alert_rule_test:\n"
        for minute in stride(from: 10, to: Self.samples, by: 10) {
            let rule = minute / 10 % Self.ruleCount
            text += "      - eval_time: \(minute)m\n        alertname: Rule\(rule)\n        exp_alerts:\n"
            for series in 0..<Self.seriesCount where isFiring(series: series, minute: minute, threshold: Double(10 + rule)) {
                let current = value(series: series, minute: minute)
                text += "          - exp_labels: {instance: i\(series)}\n            exp_annotations: {summary: \"i\(series) at \(current)\"}\n"
            }
        }
        return text
    }

    private func value(series: Int, minute: Int) -> Int { (minute + series) % 60 }

    /// Firing at `minute`: above the threshold at this evaluation and the two before it (`for: 2m` from the first).
    private func isFiring(series: Int, minute: Int, threshold: Double) -> Bool {
        (0...2).allSatisfy { minute - $0 >= 0 && Double(value(series: series, minute: minute - $0)) > threshold }
    }
}
