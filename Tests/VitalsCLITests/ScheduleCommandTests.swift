import Foundation
import Testing
import VitalsTestSupport

@Suite struct ScheduleCommandTests {
    @Test func expressionPrintsTheNextRunsWithTheirOffsetsAndNothingElse() throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(
            ["schedule", "--expr", "0 8 * * 1-5", "--tz", "Europe/Berlin", "--after", "2026-03-26T00:00:00Z", "--next", "5"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                2026-03-26T08:00:00+01:00
                2026-03-27T08:00:00+01:00
                2026-03-30T08:00:00+02:00
                2026-03-31T08:00:00+02:00
                2026-04-01T08:00:00+02:00

                """)
        #expect(result.stderr.isEmpty)
    }

    @Test(
        arguments: [
            (["--expr", "0 24 * * *"], "--expr:1:3: hour 24 out of range 0-23"),
            (["--expr", "0 8 * * *", "--tz", "Mars/Olympus"], "--tz: unknown time zone 'Mars/Olympus'"),
            (["--expr", "0 8 * * *", "--after", "2026-02-31"], "--after:"),
            (["--next", "0"], "--next: expected a count from 1 to 100000, found 0"),
        ])
    func badInputIsAUsageError(arguments: [String], message: String) throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(["schedule"] + arguments, in: folder.url)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func listsTheBuiltInScheduleWithoutAFile() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "time_zone: Europe/Berlin\n")
        let result = try VitalsProcess.run(["schedule", "--next", "2", "--now", "2026-11-27T06:58:00Z"], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("(built-in schedule): 5 jobs, runs after 2026-11-27T07:58:00+01:00\n"))
        #expect(
            result.stdout.contains(
                """
                line 15  0 8 * * 1-5  report --since 7d
                  zone Europe/Berlin, timeout 30m, catch-up 6h
                  2026-11-27T08:00:00+01:00
                  2026-11-30T08:00:00+01:00
                """), "\(result.stdout)")
    }

    @Test func aScheduleFileIsCheckedWithTheRealCommandLineWhenItLoads() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("cron"), withIntermediateDirectories: true)
        _ = try folder.write("cron/vitals.crontab", "0 8 * * * report --sinse 7d\n")
        let result = try VitalsProcess.run(["schedule"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("cron/vitals.crontab:1:11: "), "\(result.stderr)")
        #expect(result.stderr.contains("--sinse"))
    }
}
