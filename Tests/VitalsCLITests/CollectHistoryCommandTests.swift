import Foundation
import Testing
import VitalsTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `vitals collect` keeps stored git history whatever `--now` says, never zeroes it silently, and leaves no git behind
/// when it is stopped.
@Suite struct CollectHistoryCommandTests {
    let now = "2026-11-25T12:00:00Z"
    let query = ["query", "git_commits", "--format", "csv", "--from", "2026-11-20T00:00:00Z", "--to", "2026-11-26T00:00:00Z"]
    let stored = #"""
        metric,labels,timestamp,value
        git_commits,"repo=""api"",source=""git""",2026-11-23T00:00:00Z,1
        git_commits,"repo=""api"",source=""git""",2026-11-24T00:00:00Z,1
        git_commits,"repo=""api"",source=""git""",2026-11-25T00:00:00Z,0

        """#

    func repository() throws -> GitRepository {
        let repository = try GitRepository(name: "api")
        try repository.write("main.c", "int main(void) { return 0; }\n")
        try repository.commit("start", at: "2026-11-23T10:00:00+00:00")
        try repository.write("main.c", "int main(void) { return 1; }\n")
        try repository.commit("exit 1", at: "2026-11-24T10:00:00+00:00", by: .bo)
        return repository
    }

    @Test func reRunningAPastDayCollectsThatDay() throws {
        let repository = try repository()
        #expect(try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url).status == 0)
        let past = try VitalsProcess.run(["collect", "git", "--now", "2026-11-23T20:00:00Z"], in: repository.url)
        #expect(past.status == 0, "\(past.stderr)")
        #expect(past.stdout.hasPrefix("git     ok "))
        #expect(try VitalsProcess.run(query, in: repository.url).stdout == stored)
    }

    @Test func aNowAheadOfTheClockKeepsRawHistory() throws {
        let repository = try repository()
        #expect(try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url).status == 0)
        let future = try VitalsProcess.run(["collect", "git", "--now", "2099-01-01T00:00:00Z"], in: repository.url)
        #expect(future.status == 0, "\(future.stderr)")
        #expect(try VitalsProcess.run(query, in: repository.url).stdout == stored)
    }

    @Test func aReadOfLessHistoryKeepsStoredCountsAndSaysSo() throws {
        let repository = try repository()
        #expect(try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url).status == 0)
        try repository.git("reset", "-q", "--hard", "HEAD~1")
        let result = try VitalsProcess.run(["collect", "git", "--backfill", "30d", "--now", now], in: repository.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "; kept 1 stored non-zero values of git_commits from 2026-11-24T00:00:00Z to 2026-11-24T00:00:00Z that this run read as 0 "))
        #expect(try VitalsProcess.run(query, in: repository.url).stdout == stored)
    }

    /// A fake `git` first on PATH logs its pid and waits; the first one also writes its pid into a FIFO, which the test
    /// reads (opening the FIFO waits for the writer, so nothing sleeps). The test signals vitals and, once vitals has
    /// exited, finds every git it started gone.
    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalEndsTheGitChildToo(signal: Int32) throws {
        let repository = try repository()
        let folder = try TemporaryFolder()
        let fifo = folder.url.appendingPathComponent("git.pid").path
        let log = folder.url.appendingPathComponent("git.log").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let git = try folder.write(
            "git", "#!/bin/sh\necho $$ >> '\(log)'\nif mkdir '\(fifo).first' 2>/dev/null; then echo $$ > '\(fifo)'; fi\nexec sleep 600\n")
        try #require(chmod(git, 0o755) == 0)
        let vitals = try VitalsProcess.start(
            ["collect", "git", "--now", now], in: repository.url, environment: ["PATH": "\(folder.url.path):\(VitalsProcess.path)"])
        // Should vitals end without running git, this writes a pid of 0 so that the read below does not wait forever.
        vitals.terminationHandler = { _ in
            let handle = open(fifo, O_RDWR)
            _ = write(handle, "0\n", 2)
            close(handle)
        }
        let reader = try #require(FileHandle(forReadingAtPath: fifo))
        let first = try #require(Int32(String(decoding: reader.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        try #require(first > 0)
        #expect(kill(first, 0) == 0)

        kill(vitals.processIdentifier, signal)
        vitals.waitUntilExit()

        #expect(vitals.terminationReason == .uncaughtSignal)
        #expect(vitals.terminationStatus == signal)
        let started = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
        #expect(started.contains(first))
        for pid in started {
            let probe = kill(pid, 0)
            let error = errno
            #expect(probe == -1 && error == ESRCH, "git (pid \(pid)) outlived vitals")
        }
    }
}
