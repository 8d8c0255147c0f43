import Foundation
import Synchronization
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// The round as structured concurrency: one commit after every rule is evaluated, errors of the parts thrown, and
/// cancellation leaving the store as it was.
@Suite struct ServiceRoundConcurrencyTests {
    static let start = RFC3339.parse("2026-11-25T08:00:00Z")!
    static let api: Labels = ["service": "api"]

    /// 120 rules on `error_ratio` (so the evaluation is split), one whose selector names no metric, read after the evaluation.
    static let rules = try! AlertEvaluationRound(
        files: [
            RuleFileLoader.parse(
                "groups:\n  - name: api\n    rules:"
                    + (0..<120).map { "\n      - alert: A\($0)\n        expr: error_ratio > 5%" }.joined()
                    + "\n      - alert: Unnamed\n        expr: '{__name__=~\"error_.*\", service=\"api\"} > 5%'",
                file: "rules/api.yml")
        ])

    static func filledStore() async throws -> SQLiteMetricStore {
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        try await store.write([Sample("error_ratio", api, kind: .gauge, unit: .ratio, at: start, value: 0.07)])
        return store
    }

    /// Every store read comes before the one commit, which carries every rule: no write transaction is open while the round
    /// evaluates or reads (the previous round committed batch by batch from a transaction opened before the evaluation).
    @Test func theRoundCommitsOnceAfterEveryReadWithEveryRule() async throws {
        let store = RecordingStore(try await Self.filledStore())
        let result = try await Self.rules.run(at: Self.start, metrics: store, alerts: store)
        #expect(result.rules.count == 121)
        let events = store.events.withLock { $0 }
        #expect(events.last == "commit 121")
        #expect(events.filter { $0.hasPrefix("commit") }.count == 1)
        #expect(events.contains("samples of keys"))
        #expect(try await store.inner.alertStates().count == 121)
    }

    /// A part that fails (the alert state cannot be read) fails the round with its own error, and nothing is written.
    @Test func anErrorOfAPartIsThrownAndNothingIsWritten() async throws {
        let store = RecordingStore(try await Self.filledStore(), failingStates: true)
        await #expect(throws: RecordingStore.Failure.self) { try await Self.rules.run(at: Self.start, metrics: store, alerts: store) }
        #expect(try await store.inner.groupEvaluations().isEmpty)
        #expect(!store.events.withLock { $0 }.contains { $0.hasPrefix("commit") })
    }

    /// Cancelled while it waits for the samples, the round throws `CancellationError` and commits nothing.
    @Test func aCancelledRoundWritesNothing() async throws {
        let (reached, arrived) = AsyncStream<Void>.makeStream()
        let store = RecordingStore(try await Self.filledStore(), holdReads: arrived)
        let round = Task { try await Self.rules.run(at: Self.start, metrics: store, alerts: store) }
        for await _ in reached { break }
        round.cancel()
        await #expect(throws: CancellationError.self) { try await round.value }
        #expect(try await store.inner.groupEvaluations().isEmpty)
        #expect(try await store.inner.alertStates().isEmpty)
    }
}

/// The SQLite store with its calls recorded; it can fail the state read, or hold the window read until the task is cancelled.
final class RecordingStore: MetricStore, AlertStore {
    struct Failure: Error {}

    let inner: SQLiteMetricStore
    let events = Mutex<[String]>([])
    private let failingStates: Bool
    /// Told when the window read starts, which then waits for cancellation.
    private let holdReads: AsyncStream<Void>.Continuation?

    init(_ inner: SQLiteMetricStore, failingStates: Bool = false, holdReads: AsyncStream<Void>.Continuation? = nil) {
        self.inner = inner
        self.failingStates = failingStates
        self.holdReads = holdReads
    }

    private func record(_ event: String) { events.withLock { $0.append(event) } }

    func write(_ samples: [Sample]) async throws -> Int { try await inner.write(samples) }
    func series(named name: String?) async throws -> [SeriesDescriptor] {
        record("series named")
        return try await inner.series(named: name)
    }
    func samples(of key: SeriesKey, in period: Period) async throws -> [SamplePoint] { try await inner.samples(of: key, in: period) }
    func samples(of keys: [SeriesKey], in period: Period) async throws -> [[SamplePoint]] {
        record("samples of keys")
        return try await inner.samples(of: keys, in: period)
    }
    func series(in windows: [MetricWindow]) async throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        record("windows")
        if let holdReads {
            holdReads.yield()
            let (never, unused) = AsyncStream<Void>.makeStream()
            for await _ in never {}
            unused.finish()
            try Task.checkCancellation()
        }
        return try await inner.series(in: windows)
    }
    func lastSample(of key: SeriesKey, before instant: Timestamp) async throws -> SamplePoint? { try await inner.lastSample(of: key, before: instant) }
    func summaries(of key: SeriesKey, boundaries: [Timestamp]) async throws -> [SampleSummary?] {
        try await inner.summaries(of: key, boundaries: boundaries)
    }
    func activeSeries(named name: String, in period: Period) async throws -> [SeriesKey] { try await inner.activeSeries(named: name, in: period) }
    func relabelSeries(
        named names: [String], where isSelected: @escaping @Sendable (Labels) -> Bool, setting label: String, to value: String
    ) async throws -> Int {
        try await inner.relabelSeries(named: names, where: isSelected, setting: label, to: value)
    }
    func applyRetention(now: Timestamp) async throws -> Int { try await inner.applyRetention(now: now) }
    func checkpoint() async throws { try await inner.checkpoint() }

    func groupEvaluations() async throws -> [String: Timestamp] { try await inner.groupEvaluations() }
    func alertStates() async throws -> [AlertRuleID: AlertRuleState] {
        record("states")
        if failingStates { throw Failure() }
        return try await inner.alertStates()
    }
    func silences(notEndedAt instant: Timestamp) async throws -> [Silence] { try await inner.silences(notEndedAt: instant) }
    func commit(slots: [String: Timestamp], rules: [AlertRoundRecord.RuleRecord]) async throws {
        record("commit \(rules.count)")
        try await inner.commit(slots: slots, rules: rules)
    }
}
