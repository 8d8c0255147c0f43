import Foundation
import Testing
import VitalsCore

@testable import VitalsScheduler

@Suite("Schedule files")
struct ScheduleFileParserTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let parser = ScheduleFileParser(defaultTimeZone: berlin) { arguments in
        ["collect", "report", "housekeeping"].contains(arguments[0]) ? nil : "unknown subcommand '\(arguments[0])'"
    }

    @Test("jobs, zones, options, aliases and quoted arguments")
    func jobs() throws {
        let file = try Self.parser.parse(
            """
            # a comment

            0 8 * * 1-5  catchup=6h timeout=10m  report --since 7d
            CRON_TZ=America/Santiago
            @hourly collect 'my source' # trailing comment
              */15 * * * * collect "say \\"hi\\""
            """, file: "cron/vitals.crontab")
        #expect(file.jobs.map(\.line) == [3, 5, 6])
        #expect(file.jobs.map(\.arguments) == [["report", "--since", "7d"], ["collect", "my source"], ["collect", "say \"hi\""]])
        #expect(file.jobs.map(\.schedule.timeZone.identifier) == ["Europe/Berlin", "America/Santiago", "America/Santiago"])
        #expect(file.jobs[0].options == JobOptions(timeout: .minutes(10), catchUp: .hours(6)))
        #expect(file.jobs[1].options == JobOptions())
        #expect(file.jobs[1].command == "collect 'my source'")
        #expect(file.jobs[1].schedule.expression.text == "@hourly")
    }

    @Test(
        "errors are positioned at the column and say what is allowed",
        arguments: [
            ("0 24 * * * collect", "f:1:3: hour 24 out of range 0-23"),
            ("0 8 * * *", "f:1:10: no command after the schedule; write a vitals subcommand, e.g. `collect` or `report --since 7d`"),
            ("0 8 * *", "f:1:8: expected 5 cron fields (minute hour day-of-month month day-of-week) and a command, found 4 words"),
            ("0 8 * * * vitals collect", "f:1:11: write the subcommand without the `vitals` prefix (e.g. `collect`, not `vitals collect`)"),
            ("0 8 * * * colect", "f:1:11: unknown subcommand 'colect'"),
            ("0 8 * * * timout=5m collect", "f:1:11: unknown option 'timout' (did you mean 'timeout'?); options are timeout, catchup"),
            ("0 8 * * * timeout=5 collect", "f:1:19: timeout: '5' has no unit; accepted units: ms, s, m, h, d, w, y"),
            ("0 8 * * * catchup=off", "f:1:22: no command after the options; write a vitals subcommand, e.g. `collect`"),
            ("CRON_TZ=Europe/Berln", "f:1:9: unknown time zone 'Europe/Berln' (did you mean 'Europe/Berlin'?); use a tz database name such as Europe/Berlin or UTC"),
            ("MAILTO=me", "f:1:1: only CRON_TZ=Zone may be set in a schedule file; 'MAILTO' is not supported (jobs run inside vitals, not a shell)"),
            ("0 8 * * * collect 'open", "f:1:19: this quote is never closed"),
            ("\n\n@daily collect\n0 0 * * * collect", "f:4:1: the same job as line 3; remove one of them"),
        ])
    func errors(text: String, message: String) {
        #expect(throws: (any Error).self) { try Self.parser.parse(text, file: "f") }
        do {
            _ = try Self.parser.parse(text, file: "f")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("the shipped cron/vitals.crontab is the built-in schedule")
    func shippedFile() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try String(contentsOf: repository.appendingPathComponent("cron/vitals.crontab"), encoding: .utf8)
        #expect(shipped == DefaultSchedule.text)
        #expect(try ScheduleFileParser(defaultTimeZone: Self.berlin).parse(shipped, file: "cron/vitals.crontab").jobs.count == 5)
    }
}
