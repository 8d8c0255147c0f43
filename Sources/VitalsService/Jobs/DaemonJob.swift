public import VitalsCore
public import VitalsScheduler

/// A job the scheduler runs: when (a schedule line), for how long at most, how late a missed run may still start, and
/// what to run.
public struct DaemonJob: Sendable {
    /// The job's name in logs, metrics and the job-run log: its command as written after `vitals` (`collect stability`).
    public let name: String
    public let schedule: CronSchedule
    public let timeout: TimeSpan
    /// How late a run missed while the daemon was down (or asleep) may still start; zero never catches up.
    public let catchUp: TimeSpan
    /// The work; cancelled when the run times out or the daemon stops.
    public let run: @Sendable () async throws -> Void

    public init(name: String, schedule: CronSchedule, timeout: TimeSpan, catchUp: TimeSpan, run: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.schedule = schedule
        self.timeout = timeout
        self.catchUp = catchUp
        self.run = run
    }

    /// A line of the schedule file, running `run`.
    public init(_ line: ScheduledJob, run: @escaping @Sendable () async throws -> Void) {
        self.init(name: line.command, schedule: line.schedule, timeout: line.options.timeout, catchUp: line.options.catchUp, run: run)
    }
}

extension CronSchedule {
    /// The latest run time in `[earliest, instant]`, or nil when there is none.
    public func latestRun(atOrBefore instant: Timestamp, notBefore earliest: Timestamp) -> Timestamp? {
        var latest: Timestamp?
        var cursor = Timestamp(milliseconds: earliest.milliseconds - 1)
        while let run = next(after: cursor), run <= instant {
            latest = run
            cursor = run
        }
        return latest
    }
}
