import Foundation
import Synchronization
import MetricsTestKit
import ServiceLifecycleTestKit
import Testing
import VitalsCore
import VitalsService

@testable import VitalsService

@Suite struct JobSchedulerTests {
    static let zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago"]

    @Test("a simulated year of `0 8 * * *` runs once a day, at 08:00 local", arguments: zones)
    func aYearOfDailyRuns(zoneName: String) async throws {
        let zone = TimeZone(identifier: zoneName)!
        let start = Harness.localMidnight(year: 2026, month: 1, day: 1, zone)
        let end = Harness.localMidnight(year: 2027, month: 1, day: 1, zone)
        let clock = ManualClock(at: start)
        let log = MemoryJobLog()
        let scheduler = Harness.scheduler([try Harness.job("0 8 * * *", zone: zoneName)], clock: clock, log: log)
        try await Harness.running(scheduler) { _ in await Harness.stepRuns(clock, log: log, until: end) }
        let runs = await log.runs
        #expect(runs.count == 365)
        var days = Set<String>()
        for run in runs {
            let local = Harness.local(run.started, zone)
            #expect(local.hour == 8 && local.minute == 0 && local.second == 0, "\(run.started) is \(local) in \(zoneName)")
            #expect(run.started == run.scheduled && run.status == .ok && !run.late)
            days.insert("\(local.year!)-\(local.month!)-\(local.day!)")
        }
        #expect(days.count == 365)
    }

    /// Around each of the zone's changes in 2026, a job at a wall time the change skips runs once at the end of the gap,
    /// and a job at a wall time the change repeats runs once, at its first occurrence.
    @Test("daylight-saving changes: a skipped time runs at the gap's end, a repeated one once", arguments: zones)
    func daylightSavingChanges(zoneName: String) async throws {
        let zone = TimeZone(identifier: zoneName)!
        var changes: [Date] = []
        var cursor = Harness.time("2026-01-01T00:00:00Z").date
        while let change = zone.nextDaylightSavingTimeTransition(after: cursor), change < Harness.time("2027-01-01T00:00:00Z").date {
            changes.append(change)
            cursor = change
        }
        #expect(changes.count == 2)
        for changeDate in changes {
            let change = Timestamp(changeDate)
            let before = zone.secondsFromGMT(for: changeDate.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: changeDate)
            // The wall time at the change, on the clock before it: 02:00 (a gap follows) or 03:00 (an hour repeats).
            let wallMinute = Int((change.milliseconds / 1000 + Int64(before)) % 86_400 / 60)
            let springForward = after > before
            let jobMinute = (wallMinute + (springForward ? 30 : -30) + 1440) % 1440
            let expected = springForward ? change : change.subtracting(.minutes(30))
            let clock = ManualClock(at: change.subtracting(.hours(12)))
            let log = MemoryJobLog()
            let scheduler = Harness.scheduler([try Harness.job("\(jobMinute % 60) \(jobMinute / 60) * * *", zone: zoneName)], clock: clock, log: log)
            try await Harness.running(scheduler) { _ in await Harness.stepRuns(clock, log: log, until: change.adding(.hours(12))) }
            #expect(await log.runs.map(\.started) == [expected], "\(zoneName) change at \(change), job at minute \(jobMinute) of the day")
        }
    }

    /// A daemon down since a job's last run starts at `start`: the runs it makes up to `until` (run time, late).
    struct CatchUpCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let expression: String
        let lastRun: String
        let start: String
        let until: String
        let runs: [(scheduled: String, late: Bool)]
    }

    static let catchUpCases = [
        CatchUpCase(
            testDescription: "a run missed within the window runs once, late", expression: "0 8 * * *", lastRun: "2026-03-01T08:00",
            start: "2026-03-02T08:40", until: "2026-03-03T08:00", runs: [("2026-03-02T08:00", true), ("2026-03-03T08:00", false)]),
        CatchUpCase(
            testDescription: "a run missed beyond the window does not run", expression: "0 8 * * *", lastRun: "2026-03-01T08:00",
            start: "2026-03-02T09:30", until: "2026-03-03T08:00", runs: [("2026-03-03T08:00", false)]),
        CatchUpCase(
            testDescription: "of several missed runs only the latest catches up", expression: "*/15 * * * *", lastRun: "2026-03-02T06:00",
            start: "2026-03-02T08:05", until: "2026-03-02T08:30",
            runs: [("2026-03-02T08:00", true), ("2026-03-02T08:15", false), ("2026-03-02T08:30", false)]),
    ]

    @Test(arguments: catchUpCases)
    func catchUp(_ test: CatchUpCase) async throws {
        let start = Harness.time(test.start + ":00Z")
        let clock = ManualClock(at: start)
        let log = MemoryJobLog([Self.run(test.expression, scheduled: test.lastRun + ":00Z")])
        let scheduler = Harness.scheduler([try Harness.job(test.expression, catchUp: .hours(1))], clock: clock, log: log)
        try await Harness.running(scheduler) { _ in
            if test.runs.first?.late == true { await log.waitFor(2) }
            await Harness.stepRuns(clock, log: log, until: Harness.time(test.until + ":00Z"))
        }
        let runs = await log.runs.dropFirst()
        #expect(runs.map(\.scheduled) == test.runs.map { Harness.time($0.scheduled + ":00Z") })
        #expect(runs.map(\.late) == test.runs.map(\.late))
        #expect(runs.map(\.started) == runs.map { $0.late ? start : $0.scheduled })
    }

    @Test func aJobThatNeverRanDoesNotCatchUp() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T08:05:00Z"))
        let log = MemoryJobLog()
        let scheduler = Harness.scheduler([try Harness.job("0 8 * * *")], clock: clock, log: log)
        try await Harness.running(scheduler) { _ in
            #expect(await clock.nextDeadline() == Harness.time("2026-03-03T08:00:00Z"))
        }
        #expect(await log.runs.isEmpty)
    }

    @Test func wakingLateRunsWithinTheWindowAndCountsAMissBeyondIt() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T07:00:00Z"))
        let log = MemoryJobLog()
        let metrics = TestMetrics()
        let scheduler = Harness.scheduler([try Harness.job("0 8 * * *", catchUp: .hours(1))], clock: clock, log: log, metrics: metrics)
        try await Harness.running(scheduler) { _ in
            _ = await clock.nextDeadline()
            // The machine slept through 08:00 and wakes at 08:30: within the hour, the run starts late.
            clock.advance(to: Harness.time("2026-03-02T08:30:00Z"))
            await log.waitFor(1)
            _ = await clock.nextDeadline()
            // Then it sleeps until 10:00 the next day: beyond the hour, the 08:00 run is missed.
            clock.advance(to: Harness.time("2026-03-03T10:00:00Z"))
            #expect(await clock.nextDeadline() == Harness.time("2026-03-04T08:00:00Z"))
        }
        let runs = await log.runs
        #expect(runs.map(\.scheduled) == [Harness.time("2026-03-02T08:00:00Z")])
        #expect(runs.map(\.late) == [true])
        #expect(metrics.counterTotal(label: "vitals_job_runs_missed_total") == 1)
    }

    /// `whenIdle` is called when the scheduler goes to sleep with nothing running: once at start and once after each run
    /// ends, never while a job runs, not at shutdown.
    @Test func theSchedulerIsIdleAtStartAndAfterEachRunNotWhileOneRuns() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T10:00:30Z"))
        let log = MemoryJobLog()
        let gate = Gate()
        let starts = StartCounter()
        let calls = Mutex(0)
        let (idles, idle) = AsyncStream<Void>.makeStream()
        let job = try Harness.job("* * * * *", name: "collect", timeout: .hours(1)) {
            await starts.started()
            try await gate.wait()
        }
        let scheduler = JobScheduler(
            jobs: [job], clock: clock.service, log: log, logger: Harness.quiet,
            whenIdle: {
                calls.withLock { $0 += 1 }
                idle.yield()
            })
        try await Harness.running(scheduler) { _ in
            var waiting = idles.makeAsyncIterator()
            #expect(await waiting.next() != nil)
            clock.advance(to: await clock.nextDeadline())
            await starts.waitFor(1)
            // Asleep until the next minute with the run going on: not idle.
            #expect(await clock.nextDeadline() == Harness.time("2026-03-02T10:02:00Z"))
            #expect(calls.withLock { $0 } == 1)
            gate.open()
            await log.waitFor(1)
            #expect(await waiting.next() != nil)
        }
        #expect(calls.withLock { $0 } == 2)
    }

    @Test func aJobStillRunningAtItsNextTimeIsSkippedLoggedAndCounted() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T10:00:30Z"))
        let log = MemoryJobLog()
        let metrics = TestMetrics()
        let gate = Gate()
        let starts = StartCounter()
        let job = try Harness.job("* * * * *", name: "collect", timeout: .hours(1)) {
            await starts.started()
            try await gate.wait()
        }
        let scheduler = Harness.scheduler([job], clock: clock, log: log, metrics: metrics)
        try await Harness.running(scheduler) { _ in
            clock.advance(to: await clock.nextDeadline())
            await starts.waitFor(1)
            #expect(await clock.nextDeadline() == Harness.time("2026-03-02T10:02:00Z"))
            clock.advance(to: Harness.time("2026-03-02T10:02:00Z"))
            await log.waitFor(1)
            gate.open()
            await log.waitFor(2)
        }
        let runs = await log.runs
        #expect(runs.map(\.status) == [.skipped, .ok])
        #expect(runs.map(\.scheduled) == [Harness.time("2026-03-02T10:02:00Z"), Harness.time("2026-03-02T10:01:00Z")])
        #expect(await starts.count == 1)
        #expect(metrics.counterTotal(label: "vitals_job_runs_total", dimensions: [("job", "collect"), ("status", "skipped")]) == 1)
    }

    @Test("a run past its timeout is cancelled and recorded as timed out", arguments: [false, true])
    func timeout(jobIgnoresCancellation: Bool) async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T10:30:00Z"))
        let log = MemoryJobLog()
        // A stubborn job waits for the test's gate; a cooperative one until it is cancelled.
        let gate = Gate(ignoresCancellation: true)
        let starts = StartCounter()
        let job = try Harness.job("0 * * * *", timeout: .minutes(5)) {
            await starts.started()
            try await (jobIgnoresCancellation ? gate : Gate()).wait()
        }
        let scheduler = Harness.scheduler([job], clock: clock, log: log)
        try await Harness.running(scheduler) { _ in
            clock.advance(to: await clock.nextDeadline())
            await starts.waitFor(1)
            #expect(await clock.nextDeadline() == Harness.time("2026-03-02T11:05:00Z"))
            clock.advance(to: Harness.time("2026-03-02T11:05:00Z"))
            await log.waitFor(1)
            clock.advance(to: await clock.nextDeadline())
            // A job that stopped when cancelled runs again at 12:00; one that goes on is still running, so 12:00 is skipped.
            if jobIgnoresCancellation {
                await log.waitFor(2)
                gate.open()
            } else {
                await starts.waitFor(2)
                clock.advance(to: await clock.nextDeadline())
                await log.waitFor(2)
            }
        }
        let runs = await log.runs
        #expect(runs[0].status == .timedOut && runs[0].finished == Harness.time("2026-03-02T11:05:00Z"))
        #expect(runs[0].error == "timed out after 5m")
        #expect(runs[1].status == (jobIgnoresCancellation ? .skipped : .timedOut))
        #expect(runs[1].scheduled == Harness.time("2026-03-02T12:00:00Z"))
        #expect(runs.count == 2)
    }

    /// On graceful shutdown nothing new starts; the running job may finish within the grace period (30s), and is stopped
    /// when it has not by then.
    @Test("graceful shutdown with a job in flight", arguments: [true, false])
    func gracefulShutdown(jobFinishesInTime: Bool) async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T10:59:00Z"))
        let log = MemoryJobLog()
        let gate = Gate()
        let starts = StartCounter()
        let job = try Harness.job("* * * * *", timeout: .hours(1)) {
            await starts.started()
            try await gate.wait()
        }
        let scheduler = Harness.scheduler([job], clock: clock, log: log)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                clock.advance(to: await clock.nextDeadline())
                await starts.waitFor(1)
                trigger.triggerGracefulShutdown()
                // The scheduler now waits for the job up to the grace period, not for the next minute.
                while await clock.nextDeadline() != Harness.time("2026-03-02T11:00:30Z") { await Task.yield() }
                if jobFinishesInTime { gate.open() } else { clock.advance(to: Harness.time("2026-03-02T11:00:30Z")) }
                try await group.waitForAll()
            }
        }
        let runs = await log.runs
        #expect(runs.map(\.status) == [jobFinishesInTime ? .ok : .failed])
        if !jobFinishesInTime { #expect(runs.first?.error == "stopped: the daemon shut down and the run took longer than 30s") }
        #expect(await starts.count == 1)
    }

    @Test func withoutPermissionNothingRunsAndTheSchedulerStops() async throws {
        let clock = ManualClock(at: Harness.time("2026-03-02T10:59:00Z"))
        let log = MemoryJobLog()
        let starts = StartCounter()
        let job = try Harness.job("* * * * *") { await starts.started() }
        let scheduler = Harness.scheduler([job], clock: clock, log: log, permission: { false })
        await #expect(throws: LeadershipLost.self) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                clock.advance(to: await clock.nextDeadline())
                try await group.waitForAll()
            }
        }
        #expect(await starts.count == 0)
        #expect(await log.runs.isEmpty)
    }

    static func run(_ job: String, scheduled: String) -> JobRunRecord {
        let at = Harness.time(scheduled)
        return JobRunRecord(job: job, scheduled: at, started: at, finished: at, status: .ok, late: false, error: nil)
    }
}
