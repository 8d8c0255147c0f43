import Foundation
import Testing
import VitalsCore
import VitalsService
import VitalsStore

@testable import VitalsServer

/// `GET /healthz` judges the scheduler's loop by the heartbeat the scheduler leaves: asleep until its next job is healthy
/// however old its last beat; a loop that has not turned for longer than the tolerance past its planned wake-up is stuck.
@Suite(.timeLimit(.minutes(1))) struct SchedulerHealthTests {
    @Test func healthyWhileAsleepStuckWhenItMissesItsWakeUpHealthyAgainOnceItTurns() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T07:00:00Z"))
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        let monitor = SchedulerHeartbeatMonitor()
        let health = HealthCheck(
            store: store, policy: HealthPolicy(wakeTolerance: .minutes(1)) { monitor.current }, now: { clock.now.timestamp })
        // The loop stalls at 08:00 on its lease check (a stalled store), until the test lets it go.
        let stalled = Gate()
        let checks = StartCounter()
        let log = MemoryJobLog()
        let scheduler = JobScheduler(
            jobs: [try Harness.job("0 8 * * *", name: "report daily")], clock: clock.service, log: log, logger: Harness.quiet, heartbeat: monitor,
            permission: {
                await checks.started()
                try? await stalled.wait()
                return true
            })
        #expect(try await health.answer().status == 200, "no scheduler yet: nothing to judge")
        try await Harness.running(scheduler) { _ in
            let wake = await clock.nextDeadline()
            #expect(wake == Harness.time("2026-03-02T08:00:00Z"))
            #expect(monitor.current == SchedulerHeartbeat(lastBeat: Harness.time("2026-03-02T07:00:00Z"), nextWake: wake))
            clock.advance(to: Harness.time("2026-03-02T07:59:00Z"))
            #expect(try await health.answer().status == 200, "asleep until its next job")

            clock.advance(to: wake)
            await checks.waitFor(1)
            clock.advance(to: Harness.time("2026-03-02T08:00:59Z"))
            #expect(try await health.answer().status == 200, "within the tolerance")
            clock.advance(to: Harness.time("2026-03-02T08:01:01Z"))
            let stuck = try await health.answer()
            #expect(stuck.status == 503)
            #expect(
                stuck.body.contains(
                    "the scheduler loop is stuck: it last ran at 2026-03-02T07:00:00Z and was due again at 2026-03-02T08:00:00Z, more than 1m ago"),
                "\(stuck.body)")

            stalled.open()
            await log.waitFor(1)
            #expect(monitor.current?.nextWake == Harness.time("2026-03-03T08:00:00Z"))
            let recovered = try await health.answer()
            #expect(recovered.status == 200, "\(recovered.body)")
        }
        #expect(monitor.current == nil, "a stopped scheduler leaves no heartbeat")
    }
}
