import Foundation
import Synchronization
import VitalsCore
import VitalsRules
import VitalsStore

/// The alert rounds as `vitals run` does them: the same 1,000 rules over 10,000 series as `alerts`, but one store and one
/// prepared round kept for the whole run, so the rounds find their caches warm (the store's connections and prepared
/// statements, SQLite's page cache and memory map, the parsed rules). Before each round the minute's collection writes one
/// new sample per series (10,000, not timed), as collectors do between the daemon's rounds; each round is followed by the
/// checkpoint the daemon runs after it (timed apart).
struct DaemonAlertRoundsBenchmark {
    let folder: URL
    let rounds = 20

    func run() async throws {
        let setup = AlertEvaluationBenchmark(folder: folder)
        let seedPath = folder.appendingPathComponent("alerts-seed.db").path
        if !FileManager.default.fileExists(atPath: seedPath) { try await setup.fillOrReuse(seedPath) }
        let storePath = folder.appendingPathComponent("alerts-daemon.db").path
        try setup.copySynced(seedPath, to: storePath)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        }
        let store = try await SQLiteMetricStore(path: storePath, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
        let round = try AlertEvaluationRound(files: [try RuleFileLoader.parse(setup.rules(), file: "bench.yml")])
        let descriptors = setup.descriptors()
        var figures: [AlertEvaluationBenchmark.RoundFigures] = []
        // One wrapper for all rounds, as the daemon passes one store: the round keeps the alert state it committed to it.
        let timed = TimedStores(store)
        for step in 1...rounds {
            let at = setup.end.adding(.minutes(Int64(step)))
            let minute = setup.minutes - 1 + step
            _ = try await store.write(descriptors.enumerated().map { Sample($1, at: at, value: setup.value(index: $0, minute: minute)) })
            try await store.checkpoint()
            var result: AlertRoundResult?
            timed.phases.withLock { $0 = Phases() }
            let processorBefore = processorSeconds()
            let time = try await measureAsync(runs: 1) { result = try await round.run(at: at, metrics: timed, alerts: timed) }
            let processor = processorSeconds() - processorBefore
            let checkpoint = try await measureAsync(runs: 1) { try await store.checkpoint() }.best
            figures.append(
                AlertEvaluationBenchmark.RoundFigures(
                    seconds: time.best, processorSeconds: processor, checkpointSeconds: checkpoint, phases: timed.phases.withLock { $0 },
                    transitions: result?.transitions.count ?? 0, notifications: result?.notifications.count ?? 0))
        }
        // The first two rounds write the new alerts' state (pending, then firing); the daemon's steady state is the rest.
        let steady = figures.dropFirst(2).sorted { $0.seconds < $1.seconds }
        let median = steady[steady.count / 2]
        print("alerts-daemon: \(round.ruleCount) rules over \(descriptors.count) series; \(rounds) rounds a minute apart in one process")
        line("  first round (all state new)", "\(format(figures[0].seconds * 1000, 1)) ms, cpu \(format(figures[0].processorSeconds * 1000, 1)) ms")
        line("  second round (notifications queued)", "\(format(figures[1].seconds * 1000, 1)) ms, cpu \(format(figures[1].processorSeconds * 1000, 1)) ms")
        let range = "\(format(steady.first!.seconds * 1000, 1))–\(format(steady.last!.seconds * 1000, 1))"
        line("  steady rounds 3–\(rounds)", "median \(format(median.seconds * 1000, 1)) ms (\(range)), cpu \(format(median.processorSeconds * 1000, 1)) ms")
        print("    \(median.phases.breakdown(total: median.seconds)); \(median.transitions) transitions, \(median.notifications) notifications")
        let checkpoints = figures.map(\.checkpointSeconds).sorted()
        line("  WAL checkpoint after each round (not part of the round)", "median \(format(checkpoints[checkpoints.count / 2] * 1000, 1)) ms")
        line("  target: steady rounds under 100 ms (median)", median.seconds < 0.1 ? "met" : "NOT met")
    }
}
