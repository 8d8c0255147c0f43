public import Foundation
public import VitalsCore

/// One line of a schedule file: when a vitals subcommand runs, and how.
public struct ScheduledJob: Sendable, Hashable {
    /// The expression and the zone it is read in (`CRON_TZ=` above the line, or the configured time zone).
    public let schedule: CronSchedule
    /// The vitals subcommand and its arguments, without the `vitals` prefix: `["collect", "stability"]`.
    public let arguments: [String]
    public let options: JobOptions
    /// The line of the schedule file the job is on (1-based).
    public let line: Int

    public init(schedule: CronSchedule, arguments: [String], options: JobOptions, line: Int) {
        self.schedule = schedule
        self.arguments = arguments
        self.options = options
        self.line = line
    }

    /// What makes two jobs the same job: when they run and what they run, whatever line they are on or how written.
    public struct Identity: Hashable, Sendable {
        let schedule: CronSchedule
        let arguments: [String]
    }

    public var identity: Identity { Identity(schedule: schedule, arguments: arguments) }

    /// The command as a person would type it after `vitals`, the job's name in logs and the job-run log.
    public var command: String { arguments.map(ScheduleFileParser.quotedIfNeeded).joined(separator: " ") }
}

/// Per-line options of a schedule file, written as `key=value` words between the schedule and the command.
public struct JobOptions: Sendable, Hashable {
    /// How long a run may take before it is stopped (`timeout=10m`).
    public var timeout: TimeSpan
    /// How late a run missed while the daemon was down may still start (`catchup=6h`); zero never catches up.
    public var catchUp: TimeSpan

    public static let defaultTimeout = TimeSpan.minutes(30)
    public static let defaultCatchUp = TimeSpan.hours(1)

    public init(timeout: TimeSpan = JobOptions.defaultTimeout, catchUp: TimeSpan = JobOptions.defaultCatchUp) {
        self.timeout = timeout
        self.catchUp = catchUp
    }
}

extension CronSchedule: Hashable {
    public static func == (lhs: CronSchedule, rhs: CronSchedule) -> Bool {
        lhs.expression == rhs.expression && lhs.timeZone.identifier == rhs.timeZone.identifier
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(expression)
        hasher.combine(timeZone.identifier)
    }
}
