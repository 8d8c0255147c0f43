import Foundation
import Synchronization
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

@Suite struct CollectionRunnerTests {
    let utc = TimeZone(identifier: "UTC")!
    let now = RFC3339.parse("2026-11-25T12:00:00Z")!

    /// Records the requests it is given; the runner's choice of `since` is only observable this way.
    final class RecordingCollector: Collector {
        let source = "recording"
        let family = MetricFamily.velocity
        let interval = TimeSpan.hours(1)
        let metrics = ["recorded"]
        let requests = Mutex<[CollectionRequest]>([])

        func collect(_ request: CollectionRequest) async throws -> [Sample] {
            requests.withLock { $0.append(request) }
            return [Sample("recorded", kind: .event, at: request.now, value: 1)]
        }
    }

    @Test func aFailingSourceIsLoggedAndTheNextOneStillRuns() async throws {
        let repository = try GitRepository(name: "web")
        try repository.write("coverage.xml", "<coverage line-rate=\"0.5\"><packages>")
        try repository.write("a.swift", "// TODO: one\n")
        try repository.commit("start", at: "2026-11-24T10:00:00+00:00")
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
        let collectors: [any Collector] = [CoverageCollector(repository: repository.url), MarkersCollector(repository: repository.url)]

        let outcomes = try await CollectionRunner(store: store).run(collectors, now: now, timeZone: utc)

        #expect(outcomes.map(\.source) == ["coverage", "markers"])
        #expect(outcomes.map(\.samples) == [0, 4])
        #expect(outcomes[0].error?.hasPrefix("coverage: coverage.xml") == true)
        #expect(outcomes[1].error == nil)
        let runs = try await store.jobRuns(source: nil, limit: 10)
        #expect(Set(runs.map { "\($0.source):\($0.status.rawValue):\($0.samplesWritten)" }) == ["coverage:failed:0", "markers:ok:4"])
        #expect(try await store.jobRuns(source: "coverage", limit: 1).first?.error == outcomes[0].error)
        let up = try await store.series(named: "vitals_source_up").map(\.key.labels.canonical)
        #expect(up == [#"source="coverage""#, #"source="markers""#])
        #expect(try await store.samples(of: SeriesKey("vitals_source_up", ["source": "coverage"]), in: Period(from: now, to: now.adding(.seconds(1)))) == [SamplePoint(now, 0)])
    }

    @Test func aLaterRunRereadsFromTheDayBeforeTheLastSuccessfulOne() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
        let collector = RecordingCollector()
        let runner = CollectionRunner(store: store)
        _ = try await runner.run([collector], now: now, timeZone: utc)
        _ = try await runner.run([collector], now: now.adding(.days(3)), timeZone: utc)
        _ = try await runner.run([collector], now: now.adding(.days(3)), timeZone: utc, backfill: .days(30))
        let since = collector.requests.withLock { $0.map { $0.since?.description } }
        #expect(since == [nil, "2026-11-24T00:00:00Z", "2026-10-29T12:00:00Z"])
    }

    @Test func aDryRunWritesNothing() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
        let outcomes = try await CollectionRunner(store: store).run([RecordingCollector()], now: now, timeZone: utc, dryRun: true)
        #expect(outcomes.map(\.samples) == [1])
        #expect(try await store.series(named: nil).isEmpty)
        #expect(try await store.jobRuns(source: nil, limit: 10).isEmpty)
    }

    @Test func runsApplyTheRetention() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(10))
        let old = Sample("recorded", ["source": "recording"], kind: .event, at: now.subtracting(.days(11)), value: 5)
        try await store.write([old])
        _ = try await CollectionRunner(store: store, wallClock: FixedClock(now)).run([RecordingCollector()], now: now, timeZone: utc)
        let everything = Period(from: now.subtracting(.days(30)), to: now.adding(.days(1)))
        #expect(try await store.samples(of: old.series.key, in: everything) == [SamplePoint(now, 1)])
    }
}
