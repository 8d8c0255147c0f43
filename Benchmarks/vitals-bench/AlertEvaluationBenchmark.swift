import Foundation
import VitalsCore
import VitalsRules
import VitalsStore

/// One alert evaluation round: 1,000 rules over 10,000 series holding a day of 1-minute samples each (14.4 M samples).
///
/// 1,000 metrics of 10 series each; half the rules compare the latest value (`m > t`), half a 10-minute average
/// (`avg_over_time(m[10m]) > t`), in 10 groups of 100. About a third of the series cross their threshold, so the first
/// round also writes pending state for them; later rounds move them to firing and queue the notifications.
struct AlertEvaluationBenchmark {
    let folder: URL
    let metrics = 1_000
    let seriesPerMetric = 10
    let minutes = 1_440
    let end = RFC3339.parse("2026-11-25T08:00:00Z")!

    func run() throws {
        let storePath = folder.appendingPathComponent("alerts.db").path
        let store = try SQLiteMetricStore(path: storePath, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        let descriptors = (0..<metrics).flatMap { metric in
            (0..<seriesPerMetric).map { series in
                SeriesDescriptor(SeriesKey("bench_metric_\(metric)", ["service": "s\(series)"]), kind: .gauge, unit: .count)
            }
        }
        var written = 0
        let fill = try measure(runs: 1) {
            // One write per hour of samples, so each hourly rollup is built once rather than once a minute.
            for hour in stride(from: 0, to: minutes, by: 60) {
                var samples: [Sample] = []
                samples.reserveCapacity(60 * descriptors.count)
                for minute in hour..<min(hour + 60, minutes) {
                    let timestamp = end.subtracting(.minutes(Int64(minutes - 1 - minute)))
                    for (index, descriptor) in descriptors.enumerated() {
                        samples.append(Sample(descriptor, at: timestamp, value: Double((index * 7 + minute) % 30)))
                    }
                }
                written += try store.write(samples)
            }
        }.best
        print("alerts: \(descriptors.count) series × \(minutes) 1-minute samples = \(written) samples (filled in \(format(fill, 1)) s)")
        let round = try AlertEvaluationRound(files: [try RuleFileLoader.parse(rules(), file: "bench.yml")])
        var rounds: [Double] = []
        var transitions: [Int] = []
        var notifications: [Int] = []
        for step in 0..<5 {
            var result: AlertRoundResult?
            let time = try measure(runs: 1) { result = try round.run(at: end.adding(.minutes(Int64(step))), metrics: store, alerts: store) }
            rounds.append(time.best)
            transitions.append(result?.transitions.count ?? 0)
            notifications.append(result?.notifications.count ?? 0)
        }
        line("  \(round.ruleCount) rules, first round (all state new)", "\(format(rounds[0] * 1000, 1)) ms, \(transitions[0]) transitions")
        line("  second round (pending → firing, notifications queued)", "\(format(rounds[1] * 1000, 1)) ms, \(notifications[1]) notifications")
        let steady = rounds.dropFirst(2).sorted()
        line("  steady rounds (median of 3)", "\(format(steady[1] * 1000, 1)) ms")
        line("  target: one round under 200 ms", rounds.max()! < 0.2 ? "met" : "NOT met")
    }

    /// 10 groups of 100 rules; `for: 1m` so the second round fires what the first made pending.
    func rules() -> String {
        var text = "groups:\n"
        for group in 0..<10 {
            text += "  - name: bench\(group)\n    interval: 1m\n    rules:\n"
            for rule in (group * 100)..<(group * 100 + 100) {
                let expr = rule.isMultiple(of: 2) ? "bench_metric_\(rule) > 20" : "avg_over_time(bench_metric_\(rule)[10m]) > 19"
                text += "      - alert: Bench\(rule)\n        expr: \(expr)\n        for: 1m\n"
            }
        }
        return text
    }
}
