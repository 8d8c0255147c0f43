import Foundation
import Testing
import VitalsTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Inputs that used to crash, run without end, block, or echo a secret: each gets an error that says what is wrong.
/// A regression that blocks (a FIFO read) fails on the time limit instead of hanging the suite.
@Suite(.timeLimit(.minutes(1))) struct HostileInputTests {
    static let tooLong = "longer than 10000y, the longest duration accepted"

    @Test(arguments: [
        (["report", "--since", "3000y"], "Error: --since 3000y: a period is at most 100y (36500d)"),
        (["report", "--since", "99999999999999999999d"], "Error: invalid duration '99999999999999999999d': \(tooLong)"),
        (["report", "--since", "9223372036854775807ms"], "Error: invalid duration '9223372036854775807ms': \(tooLong)"),
        (["query", "git_commits", "--since", "36501d"], "Error: --since 36501d: a period is at most 100y (36500d)"),
        (
            ["report", "--from", "1900-01-01T00:00:00Z", "--to", "2026-01-01T00:00:00Z"],
            "Error: --from/--to: a period is at most 100y (36500d)"
        ),
        (
            ["report", "--from", "1900-01-01T00:00:00Z", "--now", "2026-01-01T00:00:00Z"],
            "Error: --from/--to: a period is at most 100y (36500d)"
        ),
        (
            ["query", "git_commits", "--from", "2030-01-01T00:00:00Z", "--now", "2026-01-01T00:00:00Z"],
            "Error: --from must be before now (2026-01-01T00:00:00Z)"
        ),
        (["collect", "--backfill", "300000y"], "Error: invalid duration '300000y': \(tooLong)"),
        (["collect", "--backfill", "101y"], "Error: --backfill 101y: a backfill is at most 100y (36500d)"),
        (["alerts", "history", "--since", "9223372036854775807ms"], "Error: invalid duration '9223372036854775807ms': \(tooLong)"),
        (
            ["alerts", "silence", "--match", "a=b", "--for", "9223372036854775807ms"],
            "Error: invalid duration '9223372036854775807ms': \(tooLong)"
        ),
    ])
    func unboundedWorkIsAUsageErrorThatSaysTheLimit(arguments: [String], message: String) throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(arguments, in: folder.url)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix(message + "\nUsage: vitals "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func theLongestPeriodAndBackfillAreAccepted() throws {
        let repository = try GitRepository(name: "api")
        try repository.commit("start", at: "2026-11-23T10:00:00+00:00")
        let collect = try VitalsProcess.run(["collect", "git", "--backfill", "100y", "--now", "2026-11-25T00:00:00Z"], in: repository.url)
        #expect(collect.status == 0, "\(collect.stdout)\(collect.stderr)")
        let query = try VitalsProcess.run(["query", "git_commits", "--since", "100y", "--now", "2026-11-25T00:00:00Z"], in: repository.url)
        #expect(query.status == 0, "\(query.stderr)")
    }

    /// A folder with a FIFO, a symbolic link to /dev/zero and a directory, each named as an input file would be.
    final class SpecialFiles {
        let folder: TemporaryFolder

        init() throws {
            folder = try TemporaryFolder()
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("coverage"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("folder.yml"), withIntermediateDirectories: true)
            #expect(mkfifo(folder.url.appendingPathComponent("fifo.yml").path, 0o600) == 0)
            try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("zero.yml").path, withDestinationPath: "/dev/zero")
        }

        var url: URL { folder.url }
    }

    static let fifo = "is a FIFO (named pipe), not a regular file; vitals reads regular files only, so it never waits on a writer"
    static let device = "is a character device (such as /dev/zero or a terminal), not a regular file"

    @Test(arguments: [("fifo.yml", fifo), ("zero.yml", device), ("folder.yml", "is a directory, not a file")])
    func aConfigurationThatIsNotAFileSaysWhatItIs(name: String, what: String) throws {
        let files = try SpecialFiles()
        let result = try VitalsProcess.run(["report", "--config", name], in: files.url)
        #expect(result.status == 1)
        #expect(result.stderr == "\(name): \(what) (given by --config)\n")
    }

    @Test func ruleFilesThatAreNotFilesSayWhatTheyAre() throws {
        let files = try SpecialFiles()
        let check = try VitalsProcess.run(["rules", "check", "fifo.yml", "zero.yml"], in: files.url)
        #expect(check.status == 1)
        #expect(
            check.stdout == """
                fifo.yml:1:1: error: the rule file \(Self.fifo)
                zero.yml:1:1: error: the rule file \(Self.device)
                2 files, 0 rules: 2 errors

                """)
        let test = try VitalsProcess.run(["rules", "test", "zero.yml"], in: files.url)
        #expect(test.status == 1)
        #expect(test.stdout == "Unit Testing:  zero.yml\n  FAILED:\n    zero.yml:1:1: the test file \(Self.device)\n\n")
    }

    @Test(arguments: [("fifo.yml", fifo), ("zero.yml", device)])
    func aCoverageInputThatIsNotAFileFailsTheSourceAndSaysWhatItIs(special: String, what: String) throws {
        let files = try SpecialFiles()
        try FileManager.default.moveItem(
            at: files.url.appendingPathComponent(special), to: files.url.appendingPathComponent("coverage/lcov.info"))
        let result = try VitalsProcess.run(["collect", "coverage", "--format", "json", "--now", "2026-11-25T00:00:00Z"], in: files.url)
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let source = try #require((document["sources"] as? [[String: Any]])?.first)
        #expect(source["error"] as? String == "coverage: coverage/lcov.info: \(what)")
    }

    @Test(arguments: ["Basic dXNlcjpwYXNzd29yZA==", "hunter2", "https://hooks.slack.com/services/T000/B000/XXXX", "Bearer abc.def"])
    func aSecretBearingValueIsNeverEchoed(value: String) throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "channels:\n  ops:\n    type: slack\n    webhook_url_env: \"\(value)\"\n")
        let result = try VitalsProcess.run(["report", "--no-collect"], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("vitals.yml:4:22: channels.ops.webhook_url_env: "), "\(result.stderr)")
        #expect(!result.stderr.contains(value))
        #expect(!result.stdout.contains(value))
    }
}
