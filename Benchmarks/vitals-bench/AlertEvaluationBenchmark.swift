import Foundation
import Synchronization
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
        try fillOrReuse(storePath)
        let store = try SQLiteMetricStore(path: storePath, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        let round = try AlertEvaluationRound(files: [try RuleFileLoader.parse(rules(), file: "bench.yml")])
        var rounds: [Double] = []
        var transitions: [Int] = []
        var notifications: [Int] = []
        var phases: [Phases] = []
        var checkpoints: [Double] = []
        for step in 0..<5 {
            var result: AlertRoundResult?
            let timed = TimedStores(store)
            let time = try measure(runs: 1) {
                result = try round.run(at: end.adding(.minutes(Int64(step))), metrics: timed, alerts: timed)
            }
            rounds.append(time.best)
            // What `vitals alerts evaluate` does after each round, outside it: move the write-ahead log into the file.
            checkpoints.append(try measure(runs: 1) { try store.checkpoint() }.best)
            phases.append(timed.phases.withLock { $0 })
            transitions.append(result?.transitions.count ?? 0)
            notifications.append(result?.notifications.count ?? 0)
        }
        line("  \(round.ruleCount) rules, first round (all state new)", "\(format(rounds[0] * 1000, 1)) ms, \(transitions[0]) transitions")
        print("    " + phases[0].breakdown(total: rounds[0]))
        line("  second round (pending → firing, notifications queued)", "\(format(rounds[1] * 1000, 1)) ms, \(notifications[1]) notifications")
        print("    " + phases[1].breakdown(total: rounds[1]))
        let steady = (2..<5).sorted { rounds[$0] < rounds[$1] }[1]
        line("  steady rounds (median of 3)", "\(format(rounds[steady] * 1000, 1)) ms")
        print("    " + phases[steady].breakdown(total: rounds[steady]))
        let slowest = rounds.indices.max { rounds[$0] < rounds[$1] }!
        print("    slowest, round \(slowest + 1): " + phases[slowest].breakdown(total: rounds[slowest]))
        line("  WAL checkpoint after each round (not part of the round)", checkpoints.map { format($0 * 1000, 1) }.joined(separator: ", ") + " ms")
        line("  target: every round under 200 ms (slowest \(format(rounds.max()! * 1000, 1)) ms)", rounds.max()! < 0.2 ? "met" : "NOT met")
    }

    /// Fills the store at `path`; with `VITALS_BENCH_ALERTS_SEED` set, copies that file instead when it exists, or keeps a
    /// copy of the fresh fill there, since the fill takes minutes and the rounds are what is measured.
    func fillOrReuse(_ path: String) throws {
        let seed = ProcessInfo.processInfo.environment["VITALS_BENCH_ALERTS_SEED"]
        if let seed, FileManager.default.fileExists(atPath: seed) {
            try FileManager.default.copyItem(atPath: seed, toPath: path)
            // Written to disk before the rounds: otherwise the kernel writes the copy's dirty pages back during them (and the
            // first checkpoint's fsync waits for all of them), which is the copy's cost, not the rounds'.
            let copy = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try copy.synchronize()
            try copy.close()
            print("alerts: store copied from \(seed)")
            return
        }
        let written = try fill(path)
        if let seed { try FileManager.default.copyItem(atPath: path, toPath: seed) }
        let series = metrics * seriesPerMetric
        print("alerts: \(series) series × \(minutes) 1-minute samples = \(written.samples) samples (filled in \(format(written.seconds, 1)) s)")
    }

    /// Writes the samples and closes the store, so the file holds everything (no write-ahead log beside it).
    func fill(_ path: String) throws -> (samples: Int, seconds: Double) {
        let store = try SQLiteMetricStore(path: path, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        let descriptors = (0..<metrics).flatMap { metric in
            (0..<seriesPerMetric).map { series in
                SeriesDescriptor(SeriesKey("bench_metric_\(metric)", ["service": "s\(series)"]), kind: .gauge, unit: .count)
            }
        }
        var written = 0
        let seconds = try measure(runs: 1) {
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
        return (written, seconds)
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

/// Where a round's time went: sample and series reads, alert-state reads (the round does these two side by side, so the
/// longer one counts), the commit; the rest is evaluation and bookkeeping.
struct Phases {
    var samples = 0.0
    var state = 0.0
    var commit = 0.0

    func breakdown(total: Double) -> String {
        let rest = total - max(samples, state) - commit
        return [("samples", samples), ("state (alongside)", state), ("commit", commit), ("evaluate", rest)]
            .map { "\($0.0) \(format($0.1 * 1000, 1))" }.joined(separator: ", ") + " ms"
    }
}

/// The store, with the time spent in each of its calls added to ``Phases``.
final class TimedStores: MetricStore, MetricWindowReader, AlertStore {
    let store: SQLiteMetricStore
    let phases = Mutex(Phases())

    init(_ store: SQLiteMetricStore) { self.store = store }

    private func timed<T>(_ phase: WritableKeyPath<Phases, Double>, _ body: () throws -> T) rethrows -> T {
        var value: T?
        let seconds = try measure(runs: 1) { value = try body() }.best
        phases.withLock { $0[keyPath: phase] += seconds }
        return value!
    }

    func write(_ samples: [Sample]) throws -> Int { try store.write(samples) }
    func series(named name: String?) throws -> [SeriesDescriptor] { try timed(\.samples) { try store.series(named: name) } }
    func samples(of key: SeriesKey, in period: Period) throws -> [SamplePoint] { try timed(\.samples) { try store.samples(of: key, in: period) } }
    func samples(of keys: [SeriesKey], in period: Period) throws -> [[SamplePoint]] {
        try timed(\.samples) { try store.samples(of: keys, in: period) }
    }
    func series(in windows: [MetricWindow]) throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        try timed(\.samples) { try store.series(in: windows) }
    }
    func lastSample(of key: SeriesKey, before instant: Timestamp) throws -> SamplePoint? {
        try timed(\.samples) { try store.lastSample(of: key, before: instant) }
    }
    func summaries(of key: SeriesKey, boundaries: [Timestamp]) throws -> [SampleSummary?] { try store.summaries(of: key, boundaries: boundaries) }
    func activeSeries(named name: String, in period: Period) throws -> [SeriesKey] { try store.activeSeries(named: name, in: period) }
    func recordJobRun(_ run: JobRun) throws { try store.recordJobRun(run) }
    func jobRuns(source: String?, limit: Int) throws -> [JobRun] { try store.jobRuns(source: source, limit: limit) }
    func applyRetention(now: Timestamp) throws -> Int { try store.applyRetention(now: now) }
    func checkpoint() throws { try store.checkpoint() }

    func groupEvaluations() throws -> [String: Timestamp] { try timed(\.state) { try store.groupEvaluations() } }
    func alertStates() throws -> [AlertRuleID: AlertRuleState] { try timed(\.state) { try store.alertStates() } }
    func silences(notEndedAt instant: Timestamp) throws -> [Silence] { try timed(\.state) { try store.silences(notEndedAt: instant) } }
    func commit(_ round: AlertRoundRecord) throws { try timed(\.commit) { try store.commit(round) } }
}
