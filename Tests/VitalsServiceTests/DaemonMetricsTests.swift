import Foundation
import Synchronization
import Testing
import VitalsCore
import VitalsNotify
import VitalsPorts
import VitalsRules
import VitalsService
import VitalsStore

@testable import VitalsServer

/// The daemon's parts record into the registry `/metrics` exposes: the scheduler, the slotted rounds and the outbox
/// dispatcher, driven by a manual clock, then `/metrics` rendered as the server renders it.
@Suite(.timeLimit(.minutes(1))) struct DaemonMetricsTests {
    let metrics = VitalsMetrics()
    let store: SQLiteMetricStore

    init() async throws {
        store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
    }

    /// `/metrics` as the server answers it, as lines.
    func exposition() async throws -> [String] {
        try await MetricsExposition(store: store, metrics: metrics).text().split(separator: "\n").map(String.init)
    }

    /// The value of the sample line `series` (name and labels as exposed).
    func value(_ lines: [String], _ series: String) -> Double? {
        lines.first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test func jobRunsByStatusTheirDurationsSkippedAndLateRuns() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T08:40:00Z"))
        // The daily report last ran yesterday: today's 08:00 run is caught up at start, late.
        let log = MemoryJobLog([
            JobRunRecord(
                job: "report daily", scheduled: Harness.time("2026-03-01T08:00:00Z"), started: Harness.time("2026-03-01T08:00:00Z"),
                finished: Harness.time("2026-03-01T08:00:00Z"), status: .ok, late: false, error: nil)
        ])
        let gate = Gate()
        let slowStarts = StartCounter()
        let jobs = [
            try Harness.job("0 8 * * *", name: "report daily"),
            try Harness.job("*/5 * * * *", name: "collect slow") {
                await slowStarts.started()
                try await gate.wait()
            },
            try Harness.job("*/5 * * * *", name: "collect broken") { throw BrokenJob() },
        ]
        let scheduler = JobScheduler(jobs: jobs, clock: clock.service, log: log, logger: Harness.quiet, metrics: metrics)
        try await Harness.running(scheduler) { _ in
            await log.waitFor(2)
            clock.advance(to: await clock.nextDeadline())  // 08:45: slow starts, broken fails
            await slowStarts.waitFor(1)
            await log.waitFor(3)
            clock.advance(to: await clock.nextDeadline())  // 08:50: slow is still running (skipped), broken fails
            await log.waitFor(5)
            clock.advance(to: Harness.time("2026-03-02T08:51:30Z"))
            gate.open()  // slow took 6m30s
            await log.waitFor(6)
        }
        let lines = try await exposition()
        #expect(lines.contains("# TYPE vitals_job_runs_total counter"))
        #expect(value(lines, #"vitals_job_runs_total{job="report daily",status="ok"}"#) == 1)
        #expect(value(lines, #"vitals_job_runs_late_total{job="report daily"}"#) == 1)
        #expect(value(lines, #"vitals_job_runs_total{job="collect slow",status="ok"}"#) == 1)
        #expect(value(lines, #"vitals_job_runs_total{job="collect slow",status="skipped"}"#) == 1)
        #expect(value(lines, #"vitals_job_runs_total{job="collect broken",status="failed"}"#) == 2)
        #expect(value(lines, #"vitals_job_runs_late_total{job="collect slow"}"#) == nil)
        // A skipped run has no duration: one observation of 390 s, in the buckets from 1800 s up.
        #expect(lines.contains("# TYPE vitals_job_duration_seconds histogram"))
        #expect(value(lines, #"vitals_job_duration_seconds_count{job="collect slow"}"#) == 1)
        #expect(value(lines, #"vitals_job_duration_seconds_sum{job="collect slow"}"#) == 390)
        #expect(value(lines, #"vitals_job_duration_seconds_bucket{job="collect slow",le="300.0"}"#) == 0)
        #expect(value(lines, #"vitals_job_duration_seconds_bucket{job="collect slow",le="1800.0"}"#) == 1)
        #expect(value(lines, #"vitals_job_duration_seconds_count{job="collect broken"}"#) == 2)
    }

    @Test func alertRoundsTheirDurationAndMissedSlotsPerGroup() async throws {
        let start = Harness.time("2026-03-02T10:00:00Z")
        let clock = ManualClock(at: start)
        let fastGrid = EvaluationGrid(file: "a.yml", group: "fast", interval: .minutes(1))
        let grid = GridRound(grids: [fastGrid, EvaluationGrid(file: "a.yml", group: "slow", interval: .minutes(5))])
        let round = TimedRound(inner: grid, clock: clock, takes: .seconds(2))
        let service = SlottedRoundService(name: "alerts", round: round, clock: clock.service, logger: Harness.quiet, metrics: metrics)
        try await Harness.running(service) { _ in
            clock.advance(to: await clock.nextDeadline())
            await grid.waitForRounds(1)
            // Away for ten minutes: the next round counts the fast group's ten slots passed over.
            _ = await clock.nextDeadline()
            clock.advance(to: fastGrid.slot(after: clock.now.timestamp).adding(.minutes(10)))
            await grid.waitForRounds(2)
        }
        let lines = try await exposition()
        #expect(value(lines, #"vitals_rule_group_iterations_total{rule_group="fast"}"#) == 2)
        #expect(value(lines, #"vitals_rule_group_iterations_missed_total{rule_group="fast"}"#) == 10)
        #expect(lines.contains("# TYPE vitals_round_duration_seconds histogram"))
        #expect(value(lines, #"vitals_round_duration_seconds_count{round="alerts"}"#) == 2)
        #expect(value(lines, #"vitals_round_duration_seconds_sum{round="alerts"}"#) == 4)
    }

    @Test func deliveriesByChannelAndOutcome() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T10:00:00Z"))
        for (key, channels) in [("a", ["slack", "pager", "broken"]), ("b", ["slack"])] {
            _ = try await store.enqueue(
                key: key, payload: .report(ReportMessage(name: key, title: key, bodies: [:])), channels: channels, at: clock.now.timestamp,
                force: false)
        }
        let notifiers: [any Notifier] = [
            AnsweringChannel(channel: "slack", outcome: .delivered(status: 200)),
            AnsweringChannel(channel: "pager", outcome: .retry(DeliveryFailure(status: 503, "unavailable"), retryAfter: nil)),
            AnsweringChannel(channel: "broken", outcome: .reject(DeliveryFailure(status: 404, "no such webhook"))),
        ]
        let dispatcher = Dispatcher(
            store: store, notifiers: notifiers, policy: DeliveryPolicy(jitter: { $0 }), clock: clock, now: { clock.now.timestamp }, metrics: metrics)
        let summary = try await dispatcher.dispatchDue()
        #expect(summary.delivered == 2 && summary.retried == 1 && summary.dead.count == 1)
        let lines = try await exposition()
        #expect(value(lines, #"vitals_deliveries_total{channel="slack",outcome="delivered"}"#) == 2)
        #expect(value(lines, #"vitals_deliveries_total{channel="pager",outcome="retried"}"#) == 1)
        #expect(value(lines, #"vitals_deliveries_total{channel="broken",outcome="dead"}"#) == 1)
    }
}

struct BrokenJob: Error {}

/// A channel that gives every message the same answer.
struct AnsweringChannel: Notifier {
    let channel: String
    let outcome: DeliveryOutcome

    func deliver(_ message: OutboxMessage) async -> DeliveryOutcome { outcome }
}

/// A round that takes `takes` of the manual clock's time before it does `inner`'s work.
struct TimedRound: SlottedRound {
    let inner: any SlottedRound
    let clock: ManualClock
    let takes: TimeSpan

    func nextSlot(after instant: Timestamp) -> Timestamp? { inner.nextSlot(after: instant) }

    func run(at now: Timestamp) async throws -> [SlotIteration] {
        let iterations = try await inner.run(at: now)
        clock.advance(by: takes)
        return iterations
    }
}
