import Foundation
import Synchronization
import VitalsCore
import VitalsPorts
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
    /// The minutes of history per series.
    var minutes = 1_440
    let end = RFC3339.parse("2026-11-25T08:00:00Z")!

    /// How many times the five rounds run, each on a fresh copy of the store: this machine's speed drifts from one second
    /// to the next, so each figure is the median over the repeats, with their range beside it.
    let repeats = 3

    func run() async throws {
        let seedPath = folder.appendingPathComponent("alerts-seed.db").path
        try await fillOrReuse(seedPath)
        let files = [try RuleFileLoader.parse(rules(), file: "bench.yml")]
        let round = try AlertEvaluationRound(files: files)
        var repeated: [[RoundFigures]] = []
        for repeat_ in 0..<repeats {
            let storePath = folder.appendingPathComponent("alerts-\(repeat_).db").path
            try copySynced(seedPath, to: storePath)
            repeated.append(try await rounds(files, storePath: storePath))
            try FileManager.default.removeItem(atPath: storePath)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        }
        let kinds = [
            ("first round (all state new)", [0]), ("second round (pending → firing, notifications queued)", [1]),
            ("steady rounds 3–5", [2, 3, 4]),
        ]
        print("  \(round.ruleCount) rules; \(repeats) repeats of 5 rounds, each on a fresh copy; wall time, processor time beside it")
        for (title, indices) in kinds {
            let figures = repeated.flatMap { run in indices.map { run[$0] } }.sorted { $0.seconds < $1.seconds }
            let median = figures[figures.count / 2]
            let range = "\(format(figures.first!.seconds * 1000, 1))–\(format(figures.last!.seconds * 1000, 1))"
            line("  \(title)", "median \(format(median.seconds * 1000, 1)) ms (\(range)), cpu \(format(median.processorSeconds * 1000, 1)) ms")
            print("    \(median.phases.breakdown(total: median.seconds)); \(median.transitions) transitions, \(median.notifications) notifications")
        }
        let all = repeated.joined().map(\.seconds)
        let checkpoints = repeated.joined().map(\.checkpointSeconds).sorted()
        line("  WAL checkpoint after each round (not part of the round)", "median \(format(checkpoints[checkpoints.count / 2] * 1000, 1)) ms")
        let slow = all.filter { $0 >= 0.2 }.count
        let met = kinds.allSatisfy { _, indices in
            let times = repeated.flatMap { run in indices.map { run[$0].seconds } }.sorted()
            return times[times.count / 2] < 0.2
        }
        line("  target: each kind of round under 200 ms (medians)", met ? "met" : "NOT met")
        line("  rounds under 200 ms", "\(all.count - slow) of \(all.count); slowest \(format(all.max()! * 1000, 1)) ms")
    }

    /// What one round took and did.
    struct RoundFigures {
        var seconds: Double
        var processorSeconds: Double
        var checkpointSeconds: Double
        var phases: Phases
        var transitions: Int
        var notifications: Int
    }

    /// Five rounds a minute apart over the store at `storePath`, each followed by the checkpoint `vitals alerts evaluate` runs.
    /// Each round is prepared afresh for one round (not timed), as each `vitals alerts evaluate` process prepares its own: a
    /// round prepared for many keeps what it read for its next round, which is the daemon's case (`alerts-daemon`).
    func rounds(_ files: [RuleFile], storePath: String) async throws -> [RoundFigures] {
        let store = try await SQLiteMetricStore(path: storePath, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        var figures: [RoundFigures] = []
        for step in 0..<5 {
            let round = try AlertEvaluationRound(files: files, keepsSamples: false)
            var result: AlertRoundResult?
            let timed = TimedStores(store)
            let processorBefore = processorSeconds()
            let time = try await measureAsync(runs: 1) {
                result = try await round.run(at: end.adding(.minutes(Int64(step))), metrics: timed, alerts: timed)
            }
            let processor = processorSeconds() - processorBefore
            let checkpoint = try await measureAsync(runs: 1) { try await store.checkpoint() }.best
            figures.append(
                RoundFigures(
                    seconds: time.best, processorSeconds: processor, checkpointSeconds: checkpoint, phases: timed.phases.withLock { $0 },
                    transitions: result?.transitions.count ?? 0, notifications: result?.notifications.count ?? 0))
        }
        return figures
    }

    /// Copies the store and writes the copy to disk before the rounds: otherwise the kernel writes the copy's dirty pages
    /// back during them (and the first checkpoint's fsync waits for all of them), which is the copy's cost, not the rounds'.
    func copySynced(_ source: String, to path: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: path)
        let copy = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try copy.synchronize()
        try copy.close()
    }

    /// Fills the store at `path`; with `VITALS_BENCH_ALERTS_SEED` set, copies that file instead when it exists, or keeps a
    /// copy of the fresh fill there, since the fill takes minutes and the rounds are what is measured.
    func fillOrReuse(_ path: String) async throws {
        let seed = ProcessInfo.processInfo.environment["VITALS_BENCH_ALERTS_SEED"]
        if let seed, FileManager.default.fileExists(atPath: seed) {
            try FileManager.default.copyItem(atPath: seed, toPath: path)
            print("alerts: store copied from \(seed)")
            return
        }
        let written = try await fill(path)
        if let seed { try FileManager.default.copyItem(atPath: path, toPath: seed) }
        let series = metrics * seriesPerMetric
        print("alerts: \(series) series × \(minutes) 1-minute samples = \(written.samples) samples (filled in \(format(written.seconds, 1)) s)")
    }

    /// Writes the samples and closes the store, so the file holds everything (no write-ahead log beside it).
    func fill(_ path: String) async throws -> (samples: Int, seconds: Double) {
        let store = try await SQLiteMetricStore(path: path, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        var written = 0
        let seconds = try await measureAsync(runs: 1) { written = try await fill(store) }.best
        return (written, seconds)
    }

    /// Writes the samples into `store`, one write per hour of samples, so each hourly rollup is built once rather than once a
    /// minute; returns how many.
    func fill(_ store: any MetricStore) async throws -> Int {
        let descriptors = descriptors()
        var written = 0
        for hour in stride(from: 0, to: minutes, by: 60) {
            var samples: [Sample] = []
            samples.reserveCapacity(60 * descriptors.count)
            for minute in hour..<min(hour + 60, minutes) {
                let timestamp = end.subtracting(.minutes(Int64(minutes - 1 - minute)))
                for (index, descriptor) in descriptors.enumerated() {
                    samples.append(Sample(descriptor, at: timestamp, value: value(index: index, minute: minute)))
                }
            }
            written += try await store.write(samples)
        }
        return written
    }

    /// The 10,000 series, `bench_metric_<m>{service="s<n>"}`.
    func descriptors() -> [SeriesDescriptor] {
        (0..<metrics).flatMap { metric in
            (0..<seriesPerMetric).map { series in
                SeriesDescriptor(SeriesKey("bench_metric_\(metric)", ["service": "s\(series)"]), kind: .gauge, unit: .count)
            }
        }
    }

    /// The value of series `index` at minute `minute` of the day (past the day, the pattern goes on).
    func value(index: Int, minute: Int) -> Double { Double((index * 7 + minute) % 30) }

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

/// Where a round's time went. The round reads samples and alert state side by side (the longer counts), evaluates the
/// rules (in "evaluate + other"), then commits in one write.
struct Phases {
    var samples = 0.0
    var state = 0.0
    var commit = 0.0

    func breakdown(total: Double) -> String {
        let rest = total - max(samples, state) - commit
        return [("samples", samples), ("state (alongside)", state), ("commit", commit), ("evaluate + other", rest)]
            .map { "\($0.0) \(format($0.1 * 1000, 1))" }.joined(separator: ", ") + " ms"
    }
}

/// The store (SQLite's or PostgreSQL's), with the time spent in each of its calls added to ``Phases``.
final class TimedStores: MetricStore, AlertStore {
    let store: any MetricStore & AlertStore
    let phases = Mutex(Phases())

    init(_ store: any MetricStore & AlertStore) { self.store = store }

    private func timed<T>(_ phase: WritableKeyPath<Phases, Double> & Sendable, _ body: () async throws -> T) async rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        let elapsed = clock.now - start
        phases.withLock { $0[keyPath: phase] += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18 }
        return value
    }

    func write(_ samples: [Sample]) async throws -> Int { try await store.write(samples) }
    func series(named name: String?) async throws -> [SeriesDescriptor] { try await timed(\.samples) { try await store.series(named: name) } }
    func samples(of key: SeriesKey, in period: Period) async throws -> [SamplePoint] {
        try await timed(\.samples) { try await store.samples(of: key, in: period) }
    }
    func samples(of keys: [SeriesKey], in period: Period) async throws -> [[SamplePoint]] {
        try await timed(\.samples) { try await store.samples(of: keys, in: period) }
    }
    func series(in windows: [MetricWindow]) async throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        try await timed(\.samples) { try await store.series(in: windows) }
    }
    func samplesWritten(named names: [String], since mark: SampleWriteMark?) async throws -> SampleChanges? {
        try await timed(\.samples) { try await store.samplesWritten(named: names, since: mark) }
    }
    func lastSample(of key: SeriesKey, before instant: Timestamp) async throws -> SamplePoint? {
        try await timed(\.samples) { try await store.lastSample(of: key, before: instant) }
    }
    func summaries(of key: SeriesKey, boundaries: [Timestamp]) async throws -> [SampleSummary?] {
        try await store.summaries(of: key, boundaries: boundaries)
    }
    func activeSeries(named name: String, in period: Period) async throws -> [SeriesKey] { try await store.activeSeries(named: name, in: period) }
    func relabelSeries(
        named names: [String], where isSelected: @escaping @Sendable (Labels) -> Bool, setting label: String, to value: String
    ) async throws -> Int {
        try await store.relabelSeries(named: names, where: isSelected, setting: label, to: value)
    }
    func applyRetention(now: Timestamp) async throws -> Int { try await store.applyRetention(now: now) }
    func checkpoint() async throws { try await store.checkpoint() }

    func groupEvaluations() async throws -> [String: Timestamp] { try await timed(\.state) { try await store.groupEvaluations() } }
    func alertStates() async throws -> [AlertRuleID: AlertRuleState] { try await timed(\.state) { try await store.alertStates() } }
    func silences(notEndedAt instant: Timestamp) async throws -> [Silence] {
        try await timed(\.state) { try await store.silences(notEndedAt: instant) }
    }
    func commit(slots: [String: Timestamp], rules: [AlertRoundRecord.RuleRecord]) async throws {
        try await timed(\.commit) { try await store.commit(slots: slots, rules: rules) }
    }
}
