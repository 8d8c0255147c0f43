import Foundation
import Logging
import MetricsTestKit
import ServiceLifecycle
import ServiceLifecycleTestKit
import VitalsCore
import VitalsScheduler
import VitalsService

/// What the scheduler tests share: jobs from cron text, a scheduler on a manual clock, and a way to run it while a test
/// steps the clock.
enum Harness {
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }

    static func job(
        _ expression: String, zone: String = "UTC", name: String? = nil, timeout: TimeSpan = .days(365), catchUp: TimeSpan = .hours(1),
        run: @escaping @Sendable () async throws -> Void = {}
    ) throws -> DaemonJob {
        let schedule = CronSchedule(try CronExpression(parsing: expression), timeZone: TimeZone(identifier: zone)!)
        return DaemonJob(name: name ?? expression, schedule: schedule, timeout: timeout, catchUp: catchUp, run: run)
    }

    static func scheduler(
        _ jobs: [DaemonJob], clock: ManualClock, log: MemoryJobLog, metrics: TestMetrics = TestMetrics(),
        permission: @escaping @Sendable () async -> Bool = { true }
    ) -> JobScheduler<ManualClock> {
        JobScheduler(jobs: jobs, clock: clock.service, log: log, logger: quiet, metrics: metrics, permission: permission)
    }

    /// Runs `service` while `body` drives the clock; after `body`, shuts the service down gracefully and waits for it.
    static func running<S: Service>(
        _ service: S, _ body: @Sendable (GracefulShutdownTestTrigger) async throws -> Void
    ) async throws {
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                try await body(trigger)
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }

    /// Steps the clock from one deadline to the next up to `end` (inclusive), waiting after each step until the log holds
    /// one more run: for jobs that run at every deadline (their timeouts far away).
    static func stepRuns(_ clock: ManualClock, log: MemoryJobLog, until end: Timestamp) async {
        var count = await log.runs.count
        while true {
            let deadline = await clock.nextDeadline()
            guard deadline <= end else { return }
            clock.advance(to: deadline)
            count += 1
            await log.waitFor(count)
        }
    }

    /// The local date and time of `instant` in `zone`.
    static func local(_ instant: Timestamp, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant.date)
    }

    static func localMidnight(year: Int, month: Int, day: Int, _ zone: TimeZone) -> Timestamp {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return Timestamp(calendar.date(from: DateComponents(year: year, month: month, day: day))!)
    }
}

/// Counts a job's starts, and lets a test wait for them.
actor StartCounter {
    private(set) var count = 0
    private var waiters: [(Int, CheckedContinuation<Void, Never>)] = []

    func started() {
        count += 1
        let ready = waiters.filter { $0.0 <= count }
        waiters.removeAll { $0.0 <= count }
        for (_, waiter) in ready { waiter.resume() }
    }

    func waitFor(_ target: Int) async {
        guard count < target else { return }
        await withCheckedContinuation { waiters.append((target, $0)) }
    }
}
