import Foundation
import Synchronization
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsStore

/// What a run must never do to stored history: zero it without saying so, crash on a past `now`, or age it out
/// relative to a `now` ahead of the real clock.
@Suite struct CollectionRunnerHistoryTests {
    let utc = TimeZone(identifier: "UTC")!
    let now = RFC3339.parse("2026-11-25T12:00:00Z")!

    /// Returns the samples it was built with.
    struct FixedCollector: Collector {
        let source = "git"
        let family = MetricFamily.velocity
        let interval = TimeSpan.hours(1)
        let metrics = ["git_commits"]
        let samples: [Sample]

        func collect(_ request: CollectionRequest) async throws -> [Sample] { samples }
    }

    func commits(_ day: String, _ value: Double) -> Sample {
        Sample("git_commits", ["repo": "api", "source": "git"], kind: .event, at: RFC3339.parse(day)!, value: value)
    }

    @Test func aZeroNeverReplacesAStoredNonZeroValueSilently() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
        try await store.write([commits("2026-11-20T00:00:00Z", 3), commits("2026-11-21T00:00:00Z", 0), commits("2026-11-22T00:00:00Z", 2)])
        let read = [
            commits("2026-11-20T00:00:00Z", 0), commits("2026-11-21T00:00:00Z", 0), commits("2026-11-22T00:00:00Z", 0),
            commits("2026-11-23T00:00:00Z", 1), commits("2026-11-24T00:00:00Z", 0),
        ]

        let outcomes = try await CollectionRunner(store: store).run([FixedCollector(samples: read)], now: now, timeZone: utc)

        let everything = Period(from: RFC3339.parse("2026-11-01T00:00:00Z")!, to: now)
        let stored = try await store.samples(of: SeriesKey("git_commits", ["repo": "api", "source": "git"]), in: everything).map { "\($0.timestamp)=\(Int($0.value))" }
        #expect(
            stored == [
                "2026-11-20T00:00:00Z=3", "2026-11-21T00:00:00Z=0", "2026-11-22T00:00:00Z=2", "2026-11-23T00:00:00Z=1", "2026-11-24T00:00:00Z=0",
            ])
        #expect(outcomes.map(\.error) == [nil])
        #expect(outcomes.map(\.samples) == [3])
        #expect(
            outcomes.first?.warning
                == "kept 2 stored non-zero values of git_commits from 2026-11-20T00:00:00Z to 2026-11-22T00:00:00Z that this run read as 0 "
                + "(the source read less than before: a shallow clone, another folder or branch, rewritten history?)")
        #expect(try await store.jobRuns(source: "git", limit: 1).map(\.samplesWritten) == [3])
    }

    @Test func aZeroNeverReplacesAValueKeptOnlyInTheRollupsPastRetention() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(10))
        try await store.write([commits("2026-10-01T00:00:00Z", 3)])
        try await store.applyRetention(now: now)
        let day = Period(from: RFC3339.parse("2026-10-01T00:00:00Z")!, to: RFC3339.parse("2026-10-02T00:00:00Z")!)
        let key = SeriesKey("git_commits", ["repo": "api", "source": "git"])
        try #require(try await store.samples(of: key, in: day).isEmpty)

        let runner = CollectionRunner(store: store, wallClock: FixedClock(now))
        let outcomes = try await runner.run([FixedCollector(samples: [commits("2026-10-01T00:00:00Z", 0)])], now: now, timeZone: utc)

        #expect(outcomes.first?.warning?.hasPrefix("kept 1 stored non-zero values of git_commits from 2026-10-01T00:00:00Z") == true)
        #expect(try await store.summaries(of: key, boundaries: [day.from, day.to]).map { $0?.sum } == [3])
    }

    @Test func aRunThatKeepsNothingHasNoWarning() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
        let outcomes = try await CollectionRunner(store: store).run(
            [FixedCollector(samples: [commits("2026-11-20T00:00:00Z", 0)])], now: now, timeZone: utc)
        #expect(outcomes.map(\.warning) == [nil])
        #expect(outcomes.map(\.samples) == [1])
    }

    @Test func aNowBeforeTheLastRunReadsFromTheDayBeforeThatNow() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
        let collector = CollectionRunnerTests.RecordingCollector()
        let runner = CollectionRunner(store: store)
        _ = try await runner.run([collector], now: now, timeZone: utc)
        _ = try await runner.run([collector], now: now.subtracting(.days(5)), timeZone: utc)
        let since = collector.requests.withLock { $0.map { $0.since?.description } }
        #expect(since == [nil, "2026-11-19T00:00:00Z"])
    }

    @Test func retentionRunsAtTheRealTimeNotAtANowAheadOfIt() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(10))
        let old = Sample("recorded", kind: .event, at: now.subtracting(.days(5)), value: 5)
        try await store.write([old])
        let runner = CollectionRunner(store: store, wallClock: FixedClock(now))
        _ = try await runner.run([CollectionRunnerTests.RecordingCollector()], now: now.adding(.days(365)), timeZone: utc)
        let everything = Period(from: now.subtracting(.days(30)), to: now.adding(.days(400)))
        #expect(try await store.samples(of: old.series.key, in: everything) == [SamplePoint(old.timestamp, 5)])
    }
}
