import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore
import VitalsTestSupport

/// A round that keeps its samples from the last one (the daemon's) decides exactly what a round prepared for one round
/// (`vitals alerts evaluate`'s, reading just its windows) decides, whatever was written, moved or removed in between: seeded random runs of appends, backfills into gaps, replaced
/// values, samples ahead of time, new series, relabelled and merged series and retention, minute by minute, on every backend.
@Suite struct WarmRoundTests {
    static let start = RFC3339.parse("2026-03-02T10:00:00Z")!
    /// Windows of 10, 40 and 50 minutes and instant selectors, in two groups of different intervals, over a store whose
    /// retention (25 minutes) cuts into the longer windows.
    static let rules = """
        groups:
          - name: warm
            interval: 1m
            rules:
              - alert: Sum
                expr: sum_over_time(m[10m]) > -1000000
              - alert: Count
                expr: count_over_time(m[40m]) >= 0
              - alert: Latest
                expr: m > -1000000
              - alert: Other
                expr: sum_over_time(n[40m]) > -1000000
              - alert: Pending
                expr: m > 50
                for: 2m
          # Due every fifth minute with a longer window: then the round's window of `m` starts earlier than the last one's.
          - name: slow
            interval: 5m
            rules:
              - alert: Long
                expr: count_over_time(m[50m]) >= 0
        """

    @Test(arguments: ContractBackend.allCases, [1, 2, 3] as [UInt64])
    func aWarmRoundDecidesAsAColdRoundDoes(backend: ContractBackend, seed: UInt64) async throws {
        try await withStoreFactory(backend, as: (any MetricStore).self, retention: .minutes(25)) { make in
            let store = try await make()
            let files = [try RuleFileLoader.parse(Self.rules, file: "warm.yml")]
            let warm = try AlertEvaluationRound(files: files)
            let warmAlerts = try await SQLiteMetricStore.inMemory(timeZone: berlin, retention: .days(400))
            let coldAlerts = try await SQLiteMetricStore.inMemory(timeZone: berlin, retention: .days(400))
            var random = SplitMix64(seed: seed)
            var scenario = Scenario()
            // Half an hour of history with gaps, for the backfills to fill.
            try await store.write(
                (0..<30).flatMap { minute in
                    ["a", "b", "c"].compactMap { series in
                        Bool.random(using: &random) ? scenario.sample(series, minute: Int64(minute), using: &random) : nil
                    }
                })
            for step in 0..<40 {
                let now = Self.start.adding(.minutes(30 + Int64(step)))
                let did = try await scenario.change(store, at: now, using: &random)
                // Now and then another process's round (a new leader) evaluates the slot first: the warm round finds it done,
                // and the next one must read the state that round left rather than the one it kept.
                let interloper = Int.random(in: 0..<6, using: &random) == 0
                var otherResult: AlertRoundResult?
                if interloper { otherResult = try await AlertEvaluationRound(files: files).run(at: now, metrics: store, alerts: warmAlerts) }
                let warmResult = try await warm.run(at: now, metrics: store, alerts: warmAlerts)
                // Prepared for one round, as `vitals alerts evaluate` prepares it: it reads just its windows.
                let coldResult = try await AlertEvaluationRound(files: files, keepsSamples: false).run(at: now, metrics: store, alerts: coldAlerts)
                let context: Comment = "seed \(seed), step \(step) after \(did)\(interloper ? " and another round" : "")"
                #expect(try await warmAlerts.alertStates() == coldAlerts.alertStates(), context)
                #expect((otherResult ?? warmResult).transitions == coldResult.transitions, context)
                #expect(!coldResult.transitions.isEmpty || step > 0, context)
            }
        }
    }

    /// What a random step changes in the store.
    struct Scenario {
        var names = ["a", "b", "c"]
        var fresh = 0

        func sample(_ series: String, minute: Int64, using random: inout SplitMix64) -> Sample {
            let name = series == "c" ? "n" : "m"
            return Sample(
                name, ["s": series], kind: .gauge, unit: .count, at: WarmRoundTests.start.adding(.minutes(minute)),
                value: Double(Int.random(in: 0..<100, using: &random)))
        }

        /// Appends the minute's samples and makes one or two other changes; returns what it did, for the failure message.
        mutating func change(_ store: any MetricStore, at now: Timestamp, using random: inout SplitMix64) async throws -> [String] {
            let minute = (now.milliseconds - WarmRoundTests.start.milliseconds) / 60_000
            var did = ["append"]
            try await store.write(names.map { sample($0, minute: minute, using: &random) })
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                let series = names.randomElement(using: &random)!
                switch Int.random(in: 0..<7, using: &random) {
                case 0, 1:
                    let back = Int64.random(in: 1...45, using: &random)
                    try await store.write([sample(series, minute: minute - back, using: &random)])
                    did.append("backfill or replace \(series) at -\(back)m")
                case 2:
                    let ahead = Int64.random(in: 1...4, using: &random)
                    try await store.write([sample(series, minute: minute + ahead, using: &random)])
                    did.append("write \(series) at +\(ahead)m")
                case 3:
                    fresh += 1
                    names.append("new\(fresh)")
                    try await store.write((0..<3).map { sample("new\(fresh)", minute: minute - Int64($0), using: &random) })
                    did.append("new series new\(fresh)")
                case 4 where series != "c" && names.count > 3:
                    // Into another series of the metric (merged), or under a label no series has (renamed).
                    let target =
                        Bool.random(using: &random) ? names.filter { $0 != series && $0 != "c" }.randomElement(using: &random)! : "moved\(fresh)"
                    fresh += 1
                    try await store.relabelSeries(named: ["m"], where: { $0["s"] == series }, setting: "s", to: target)
                    names.removeAll { $0 == series }
                    if !names.contains(target) { names.append(target) }
                    did.append("relabel \(series) to \(target)")
                case 5:
                    try await store.applyRetention(now: now)
                    did.append("retention")
                default:
                    did.append("nothing else")
                }
            }
            return did
        }
    }
}
