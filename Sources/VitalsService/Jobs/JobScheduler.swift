public import CoreMetrics
public import Logging
public import ServiceLifecycle
public import VitalsCore
import VitalsScheduler

/// Runs jobs at their schedule's times, in-process: it sleeps until the next run time of any job or the next timeout
/// of a running one (nothing wakes on a tick), then starts what is due.
///
/// - A job still running when its next time comes is not started again: that run is recorded as skipped and counted.
/// - A run longer than its job's timeout is cancelled and recorded as timed out; the job counts as running until its
///   work returns, so a run that ignores cancellation is never doubled.
/// - At start, the latest run time of each job that passed while the daemon was down runs once, late, if it lies within
///   the job's catch-up window and the job-run log has no run for it; earlier missed times are not run. Beyond the
///   window it does not run. Waking late at run time (the machine slept) follows the same window.
/// - On graceful shutdown nothing new starts; running jobs may finish until ``shutdownGrace`` has passed, then are
///   cancelled, and `run()` returns once they have returned. When the task is cancelled, running jobs are cancelled at once.
/// - At each turn of its loop it leaves a heartbeat in `heartbeat` (when it woke, when it means to wake next), which
///   `GET /healthz` judges; it clears it when it stops.
/// - Runs are counted in `metrics`: `vitals_job_runs_total{job,status}`, `vitals_job_runs_late_total{job}`,
///   `vitals_job_runs_missed_total{job}`, and the time of each started run in `vitals_job_duration_seconds{job}`.
/// - Before each start the scheduler asks `permission` (the leader lease's fencing check); when it says no, the
///   scheduler stops its jobs and throws ``LeadershipLost``.
/// - When it goes to sleep with no job running, for the first time or after a run ended, it calls `whenIdle` (the daemon
///   gives back the memory the runs left behind).
public final class JobScheduler<C: Clock>: Service where C.Duration == Duration {
    let jobs: [DaemonJob]
    let clock: ServiceClock<C>
    let log: any JobRunRecorder
    let logger: Logger
    let metrics: any MetricsFactory
    let permission: @Sendable () async -> Bool
    let whenIdle: @Sendable () -> Void
    let heartbeat: SchedulerHeartbeatMonitor
    /// How late a start may be and still count as on time.
    let onTime: TimeSpan
    /// How long running jobs may go on after a graceful shutdown begins.
    public let shutdownGrace: TimeSpan

    public static var defaultShutdownGrace: TimeSpan { .seconds(30) }

    public init(
        jobs: [DaemonJob], clock: ServiceClock<C>, log: any JobRunRecorder, logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory,
        onTime: TimeSpan = .minutes(1), shutdownGrace: TimeSpan = defaultShutdownGrace,
        heartbeat: SchedulerHeartbeatMonitor = SchedulerHeartbeatMonitor(),
        permission: @escaping @Sendable () async -> Bool = { true }, whenIdle: @escaping @Sendable () -> Void = {}
    ) {
        self.heartbeat = heartbeat
        self.jobs = jobs
        self.clock = clock
        self.log = log
        self.logger = logger
        self.metrics = metrics
        self.onTime = onTime
        self.shutdownGrace = shutdownGrace
        self.permission = permission
        self.whenIdle = whenIdle
    }

    enum Event: Sendable {
        case timer
        case finished(job: Int, error: (any Error)?)
        case shutdown
    }

    struct Running {
        let scheduled: Timestamp
        let started: Timestamp
        let deadline: Timestamp
        let late: Bool
        let task: Task<Void, Never>
        /// Recorded already (timed out, or stopped at shutdown): its return is waited for, not recorded again.
        var ended = false
    }

    public func run() async throws {
        let (events, sink) = AsyncStream<Event>.makeStream()
        defer { heartbeat.set(nil) }
        try await withGracefulShutdownHandler {
            try await loop(events: events, sink: sink)
        } onGracefulShutdown: {
            sink.yield(.shutdown)
        }
    }

    private func loop(events: AsyncStream<Event>, sink: AsyncStream<Event>.Continuation) async throws {
        var iterator = events.makeAsyncIterator()
        let start = clock.now()
        var next = jobs.map { $0.schedule.next(after: start) }
        var running: [Int: Running] = [:]
        var shutdownDeadline: Timestamp?
        var timer: Task<Void, Never>?
        var lost = false
        // Set at start and when a run ends: the next sleep with nothing running calls `whenIdle`.
        var idleDue = true

        func launch(_ index: Int, scheduled: Timestamp, late: Bool) {
            let job = jobs[index]
            let started = clock.now()
            logger.info(
                "job started", metadata: ["job": "\(job.name)", "scheduled": "\(scheduled)", "late": "\(late)"])
            let task = Task {
                let error: (any Error)?
                do {
                    try await job.run()
                    error = nil
                } catch let thrown {
                    error = thrown
                }
                sink.yield(.finished(job: index, error: error))
            }
            running[index] = Running(scheduled: scheduled, started: started, deadline: started.adding(job.timeout), late: late, task: task)
        }

        func end(_ index: Int, _ status: JobRunRecord.Status, error: String?) async {
            guard let run = running[index] else { return }
            running[index]?.ended = true
            await record(jobs[index], scheduled: run.scheduled, started: run.started, status: status, late: run.late, error: error)
        }

        // Catch-up: the latest run time that passed while the daemon was down, once, when the log has no run for it.
        for (index, job) in jobs.enumerated() where job.catchUp.milliseconds > 0 {
            guard let missed = job.schedule.latestRun(atOrBefore: start, notBefore: start.subtracting(job.catchUp)) else { continue }
            let latest: Timestamp?
            do {
                latest = try await log.latestRun(of: job.name)
            } catch {
                logger.error("cannot read the job-run log; no catch-up", metadata: ["job": "\(job.name)", "error": "\(error)"])
                continue
            }
            guard let latest, latest < missed else { continue }
            guard await permission() else {
                lost = true
                break
            }
            launch(index, scheduled: missed, late: true)
        }

        while !lost {
            let now = clock.now()
            for (index, run) in running where !run.ended && now >= run.deadline {
                run.task.cancel()
                logger.error("job timed out", metadata: ["job": "\(jobs[index].name)", "timeout": "\(jobs[index].timeout)"])
                await end(index, .timedOut, error: "timed out after \(jobs[index].timeout)")
            }
            if let deadline = shutdownDeadline {
                if running.isEmpty { break }
                if now >= deadline {
                    for (index, run) in running where !run.ended {
                        run.task.cancel()
                        await end(index, .failed, error: "stopped: the daemon shut down and the run took longer than \(shutdownGrace)")
                    }
                }
            } else {
                for (index, job) in jobs.enumerated() {
                    guard let due = next[index], due <= now else { continue }
                    // After a long sleep several run times may have passed: only the latest can run.
                    let scheduled = job.schedule.latestRun(atOrBefore: now, notBefore: due) ?? due
                    next[index] = job.schedule.next(after: scheduled)
                    let lateness = TimeSpan(milliseconds: now.milliseconds - scheduled.milliseconds)
                    if lateness > onTime && lateness > job.catchUp {
                        logger.warning(
                            "run missed: the daemon woke after the catch-up window",
                            metadata: ["job": "\(job.name)", "scheduled": "\(scheduled)", "catchup": "\(job.catchUp)"])
                        count("vitals_job_runs_missed_total", job: job.name)
                        continue
                    }
                    if let previous = running[index] {
                        logger.warning(
                            "run skipped: the previous run is still going", metadata: ["job": "\(job.name)", "scheduled": "\(scheduled)"])
                        await record(
                            job, scheduled: scheduled, started: now, finished: now, status: .skipped, late: false,
                            error: "the run of \(previous.scheduled) was still running")
                        continue
                    }
                    guard await permission() else {
                        lost = true
                        break
                    }
                    launch(index, scheduled: scheduled, late: lateness > onTime)
                }
                if lost { break }
            }

            var wake: Timestamp? = shutdownDeadline ?? next.compactMap { $0 }.min()
            for run in running.values where !run.ended { wake = wake.map { min($0, run.deadline) } ?? run.deadline }
            if shutdownDeadline != nil, running.values.allSatisfy(\.ended) { wake = nil }
            heartbeat.set(SchedulerHeartbeat(lastBeat: now, nextWake: wake))
            if idleDue, running.isEmpty, shutdownDeadline == nil {
                idleDue = false
                whenIdle()
            }
            timer?.cancel()
            timer = wake.map { wake in
                Task { [clock] in
                    guard (try? await clock.sleep(until: wake)) != nil else { return }
                    sink.yield(.timer)
                }
            }

            // Nil when this task is cancelled: a hard stop.
            guard let event = await iterator.next() else { break }
            switch event {
            case .timer:
                continue
            case .finished(let index, let error):
                idleDue = true
                guard let run = running.removeValue(forKey: index), !run.ended else { continue }
                if let error {
                    logger.error("job failed", metadata: ["job": "\(jobs[index].name)", "error": "\(error)"])
                }
                await record(
                    jobs[index], scheduled: run.scheduled, started: run.started, status: error == nil ? .ok : .failed, late: run.late,
                    error: error.map { "\($0)" })
            case .shutdown:
                guard shutdownDeadline == nil else { continue }
                shutdownDeadline = clock.now().adding(shutdownGrace)
                logger.notice(
                    "shutting down: no new runs",
                    metadata: ["running": "\(running.keys.sorted().map { jobs[$0].name })", "grace": "\(shutdownGrace)"])
            }
        }

        timer?.cancel()
        for (index, run) in running {
            run.task.cancel()
            if !run.ended {
                await end(index, .failed, error: lost ? "stopped: this daemon lost the leader lease" : "stopped: the daemon was cancelled")
            }
        }
        for run in running.values { await run.task.value }
        if lost {
            logger.error("leader lease lost: no more runs in this term")
            throw LeadershipLost()
        }
    }

    private func record(
        _ job: DaemonJob, scheduled: Timestamp, started: Timestamp, finished: Timestamp? = nil, status: JobRunRecord.Status, late: Bool,
        error: String?
    ) async {
        let run = JobRunRecord(
            job: job.name, scheduled: scheduled, started: started, finished: finished ?? clock.now(), status: status, late: late, error: error)
        if status != .skipped {
            logger.info(
                "job finished",
                metadata: [
                    "job": "\(job.name)", "status": "\(status.rawValue)", "late": "\(late)",
                    "seconds": "\(Double(run.finished.milliseconds - run.started.milliseconds) / 1000)",
                ])
        }
        count("vitals_job_runs_total", job: job.name, status: status)
        if late { count("vitals_job_runs_late_total", job: job.name) }
        if status != .skipped {
            CoreMetrics.Timer(label: "vitals_job_duration_seconds", dimensions: [("job", job.name)], factory: metrics)
                .recordMilliseconds(run.finished.milliseconds - run.started.milliseconds)
        }
        do {
            try await log.record(run)
        } catch {
            logger.error("cannot record the job run", metadata: ["job": "\(job.name)", "error": "\(error)"])
        }
    }

    private func count(_ label: String, job: String, status: JobRunRecord.Status? = nil) {
        let dimensions = [("job", job)] + (status.map { [("status", $0.rawValue)] } ?? [])
        Counter(label: label, dimensions: dimensions, factory: metrics).increment()
    }
}

/// The leader lease was lost (another daemon holds it now): the services of this term stop.
public struct LeadershipLost: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "this daemon no longer holds the leader lease" }
}
