import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// Alert rounds on the SQLite store and on the PostgreSQL store, each store holding its own samples and alert state, given
/// the same rules and the same random changes minute by minute (``WarmRoundTests/Scenario``: appends, backfills, replaced
/// values, samples ahead of time, new, relabelled and merged series, retention), decide the same: the same transitions in
/// every round, the same instances with the same values and times, the same history and the same queued notifications.
/// The daemon's round (kept from round to round) and `vitals alerts evaluate`'s (prepared afresh) both run on each store.
/// (Seed 10 queues a notification whose value is −0.)
@Suite struct AlertRoundAgreementTests {
    /// The warm-round rules, and rules whose values and messages meet the stores' edges: `-m` is −0 where `m` is 0, a
    /// template quotes the value, `keep_firing_for` and `for` keep times of their own, labels set a severity.
    static let rules =
        WarmRoundTests.rules + """

              - name: edges
                interval: 1m
                rules:
                  - alert: Negated
                    expr: -m > -20
                    for: 1m
                    labels:
                      severity: warning
                    annotations:
                      summary: "{{ $labels.s }} is {{ $value }}"
                  - alert: Average
                    expr: avg_over_time(m[5m]) > 50
                    keep_firing_for: 2m
                    labels:
                      severity: critical
                  - alert: Missing
                    expr: absent(n)
            """

    @Test(arguments: [1, 2, 10] as [UInt64]) func sqliteAndPostgresDecideAlike(seed: UInt64) async throws {
        let files = [try RuleFileLoader.parse(Self.rules, file: "agree.yml")]
        let cluster = try await PostgresTestCluster.shared()
        let sqlite = try await SQLiteMetricStore.inMemory(timeZone: berlin, retention: .minutes(25))
        let postgres = try await PostgresMetricStore(configuration: freshDatabase(in: cluster), timeZone: berlin, retention: .minutes(25))
        defer { postgres.close() }
        let stores: [any MetricStore & AlertStore & AlertHistory & OutboxStore] = [sqlite, postgres]
        let daemon = [try AlertEvaluationRound(files: files), try AlertEvaluationRound(files: files)]
        var random = SplitMix64(seed: seed)
        var scenario = WarmRoundTests.Scenario()
        let history = (0..<30).flatMap { minute in
            ["a", "b", "c"].compactMap { series in
                Bool.random(using: &random) ? scenario.sample(series, minute: Int64(minute), using: &random) : nil
            }
        }
        for store in stores { try await store.write(history) }
        for step in 0..<30 {
            let now = WarmRoundTests.start.adding(.minutes(30 + Int64(step)))
            // The same changes on both stores: each from the same state of the scenario and of the generator.
            var did: [String] = []
            let (before, seeds) = (scenario, random)
            for store in stores {
                (scenario, random) = (before, seeds)
                did = try await scenario.change(store, at: now, using: &random)
            }
            // Every other minute the round is prepared afresh, as `vitals alerts evaluate` prepares it.
            let oneShot = step % 2 == 1
            var results: [AlertRoundResult] = []
            for (index, store) in stores.enumerated() {
                let round = oneShot ? try AlertEvaluationRound(files: files, keepsSamples: false) : daemon[index]
                results.append(try await round.run(at: now, metrics: store, alerts: store))
            }
            let context: Comment = "seed \(seed), step \(step) after \(did)"
            #expect(results[0].transitions == results[1].transitions, context)
            #expect(!results[0].transitions.isEmpty || step > 0, context)
            let states = (try await sqlite.alertStates(), try await postgres.alertStates())
            #expect(AlertStoreContract.described(states.0) == AlertStoreContract.described(states.1), context)
            let queued = (try await sqlite.unroutedMessages(limit: 10_000), try await postgres.unroutedMessages(limit: 10_000))
            #expect(queued.0.map(Self.described) == queued.1.map(Self.described), context)
        }
        let since = WarmRoundTests.start
        #expect(try await sqlite.alertHistory(since: since) == postgres.alertHistory(since: since), "seed \(seed): history")
    }

    /// A queued message as both stores must give it back; the ids each store numbers are left out.
    static func described(_ queued: UnroutedMessage) -> String {
        "\(queued.message.idempotencyKey) \(queued.message.createdAt) \(queued.message.payload) \(queued.channels)"
    }
}
