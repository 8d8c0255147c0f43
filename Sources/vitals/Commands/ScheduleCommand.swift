import ArgumentParser
import Foundation
import VitalsCore
import VitalsScheduler

/// `vitals schedule`: the jobs of the schedule file with their next run times, or the run times of one expression.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "List the scheduled jobs and their next runs, or the next runs of a cron expression.",
        discussion: """
            The schedule is cron/vitals.crontab beside vitals.yml (or in the working directory), else vitals' built-in \
            schedule. Each line is five cron fields or an alias, optional options, and a vitals subcommand; CRON_TZ=Zone sets \
            the zone of the lines after it (default: time_zone in vitals.yml). See docs/scheduling.md.

            Fields: numbers, *, ranges (1-5), steps (*/15, 1-5/2), lists (1,15), JAN-DEC, SUN-SAT, 7 for Sunday. When \
            both day-of-month and day-of-week are restricted, a day matches if either does.

            Daylight saving: a job at a fixed time that a spring-forward change skips runs once at the end of the gap \
            (02:30 runs at 03:00); a time repeated by a fall-back change runs once, at its first occurrence. Jobs whose \
            minute or hour field begins with * follow real time.

            Examples:
              vitals schedule                                   each job and its next 5 runs
              vitals schedule --next 1 --file ops/vitals.crontab
              vitals schedule --expr "0 8 * * 1-5" --tz Europe/Berlin --after 2026-11-25T00:00:00Z --next 5
            With --expr, standard output is one RFC 3339 time with its UTC offset per line, and nothing else.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("How many run times to show.", valueName: "n"))
    var next = 5

    @Option(name: .long, help: ArgumentHelp("The schedule file (default: cron/vitals.crontab, else the built-in schedule).", valueName: "file"))
    var file: String?

    @Option(name: .long, help: ArgumentHelp("A cron expression to show the run times of, instead of the schedule file.", valueName: "expression"))
    var expr: String?

    @Option(name: .long, help: ArgumentHelp("The time zone --expr is read in (default: time_zone in vitals.yml).", valueName: "zone"))
    var tz: String?

    @Option(name: .long, help: ArgumentHelp("Show runs strictly after this instant (RFC 3339; default: --now, else now).", valueName: "time"))
    var after: String?

    func validate() throws {
        guard (1...100_000).contains(next) else { throw ValidationError("--next: expected a count from 1 to 100000, found \(next)") }
        if expr == nil, tz != nil { throw ValidationError("--tz goes with --expr; a schedule file sets zones with CRON_TZ=") }
        if expr != nil, file != nil { throw ValidationError("--expr and --file exclude each other") }
        if let expr {
            do {
                _ = try CronExpression(parsing: expr)
            } catch {
                throw ValidationError("--expr:1:\(error.column): \(error.message)\n  \(expr)\n  \(String(repeating: " ", count: error.column - 1))^")
            }
        }
        if let tz, TimeZone(identifier: tz) == nil {
            throw ValidationError("--tz: unknown time zone '\(tz)'\(Suggestion.hint(for: tz, in: TimeZone.knownTimeZoneIdentifiers)); use a tz database name such as Europe/Berlin or UTC")
        }
        if let after { _ = try parseTime(after, option: "--after") }
    }

    func run() throws {
        let (config, root, _) = try Workspace.configuration(global)
        let after = try after.map { try parseTime($0, option: "--after") } ?? global.now.map { try parseTime($0, option: "--now") } ?? SystemClock().now()
        if let expr {
            let zone = try tz.map { TimeZone(identifier: $0)! } ?? config.timeZone
            let schedule = CronSchedule(try CronExpression(parsing: expr), timeZone: zone)
            for run in schedule.runs(after: after, count: next) { print(RFC3339.format(run, in: zone)) }
            return
        }
        let schedule = try ScheduleSource.load(file: file, root: root, timeZone: config.timeZone)
        print("\(schedule.path): \(schedule.jobs.count) job\(schedule.jobs.count == 1 ? "" : "s"), runs after \(RFC3339.format(after, in: config.timeZone))")
        for job in schedule.jobs {
            let zone = job.schedule.timeZone
            print("")
            print("line \(job.line)  \(job.schedule.expression)  \(job.command)")
            print("  zone \(zone.identifier), timeout \(job.options.timeout), catch-up \(job.options.catchUp.milliseconds == 0 ? "off" : job.options.catchUp.description)")
            let runs = job.schedule.runs(after: after, count: next)
            if runs.isEmpty { print("  never runs") }
            for run in runs { print("  \(RFC3339.format(run, in: zone))") }
        }
    }
}

/// Where the schedule comes from: the file named, `cron/vitals.crontab` beside the configuration, or the built-in one.
enum ScheduleSource {
    static let defaultFile = "cron/vitals.crontab"

    static func load(file: String?, root: URL, timeZone: TimeZone) throws -> ScheduleFile {
        let parser = ScheduleFileParser(defaultTimeZone: timeZone, checkCommand: checkCommand)
        do {
            if let file { return try parser.load(contentsOf: file) }
            let path = root.appendingPathComponent(defaultFile).path
            guard FileManager.default.fileExists(atPath: path) else { return try parser.parse(DefaultSchedule.text, file: DefaultSchedule.path) }
            return try parser.load(contentsOf: relativeToWorkingDirectory(path))
        } catch {
            throw ScheduleFailure(userMessage: error.description)
        }
    }

    /// Parses a job's command with the real command line: what would fail at run time fails when the schedule loads.
    @Sendable static func checkCommand(_ arguments: [String]) -> String? {
        if let name = arguments.first, ["schedule", "run"].contains(name) { return "`\(name)` cannot be a scheduled job" }
        do {
            _ = try Vitals.parseAsRoot(arguments)
            return nil
        } catch {
            return Vitals.message(for: error)
        }
    }

    private static func relativeToWorkingDirectory(_ path: String) -> String {
        let base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardized.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

/// A schedule file that does not load; its message is positioned as it stands.
struct ScheduleFailure: UserFacingError {
    let userMessage: String
}
