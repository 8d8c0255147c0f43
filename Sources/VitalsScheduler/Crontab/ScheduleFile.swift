public import Foundation

/// The jobs of a schedule file (`cron/vitals.crontab`), in file order.
public struct ScheduleFile: Sendable, Hashable {
    /// The file as the user named it, or `(built-in)` for ``DefaultSchedule``.
    public let path: String
    public let jobs: [ScheduledJob]

    public init(path: String, jobs: [ScheduledJob]) {
        self.path = path
        self.jobs = jobs
    }
}

/// The schedule vitals runs when no schedule file exists: the same text as the shipped `cron/vitals.crontab`.
public enum DefaultSchedule {
    /// The name messages give the built-in schedule in place of a path.
    public static let path = "(built-in schedule)"

    public static let text = """
        # vitals' schedule: what `vitals run` runs and when; `vitals schedule` lists the next runs.
        # A line is five cron fields (minute hour day-of-month month day-of-week) or an alias (@hourly, @daily, ...),
        # then optional options (timeout=30m catchup=1h), then a vitals subcommand without the `vitals` prefix.
        # CRON_TZ=Zone sets the time zone of the lines after it (default: time_zone in vitals.yml).
        # See docs/scheduling.md.

        # Stability and velocity sources every 15 minutes and every hour.
        */15 * * * *  collect stability
        0 * * * *     collect velocity
        # Code quality once an hour, a few minutes past.
        5 * * * *     collect quality

        # The weekday morning report: the last 7 days against the 7 before. A run missed while vitals was down
        # still starts up to 6 hours late.
        0 8 * * 1-5   catchup=6h  report --since 7d

        # Housekeeping: prune old raw samples, alert transitions, job runs and sent outbox messages; checkpoint and optimize the store.
        0 3 * * *     housekeeping

        """
}
