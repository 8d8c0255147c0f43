import Foundation
import Testing
import VitalsCollectors
import VitalsCore

@Suite("Parsing git log --numstat output")
struct GitLogParserTests {
    // Three commits as git prints them, newest first: a merge, a commit with a binary file, a root commit.
    static let log = Array(
        ("\0mmm\0aaa bbb\01774746000\0bo@example.org\n"
            + "\0aaa\0rrr\01774740600\0Ana@Example.org\n\n12\t3\tsrc/a.swift\n-\t-\tlogo.png\n0\t7\tpath with\ttab\n"
            + "\0rrr\0\01774650000\0bo@example.org\n\n5\t0\tREADME.md\n").utf8)

    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test("splits the output into commits with numstat totals, whatever the chunk size", arguments: [1, 2, 7, 64, 100_000])
    func commits(chunkSize: Int) throws {
        var parser = GitLogParser()
        var commits: [GitCommitStats] = []
        var start = 0
        while start < Self.log.count {
            let end = min(start + chunkSize, Self.log.count)
            try parser.consume(Self.log[start..<end]) { commits.append($0) }
            start = end
        }
        try parser.finish { commits.append($0) }
        #expect(
            commits == [
                GitCommitStats(committerTime: 1_774_746_000, authorEmail: "bo@example.org", parentCount: 2),
                GitCommitStats(
                    committerTime: 1_774_740_600, authorEmail: "Ana@Example.org", parentCount: 1, linesAdded: 12, linesDeleted: 10, filesChanged: 3),
                GitCommitStats(committerTime: 1_774_650_000, authorEmail: "bo@example.org", parentCount: 0, linesAdded: 5, filesChanged: 1),
            ])
    }

    @Test("groups commits by local day of the committer date and counts merges apart")
    func days() throws {
        // 2026-03-28T00:00+01:00 through 2026-03-29T23:59:59+02:00: two Berlin days, the second 23 hours long.
        let range = Timestamp(seconds: 1_774_652_400)...Timestamp(seconds: 1_774_821_599)
        let days = try GitDayActivity.days(fromLog: Self.log, in: range, timeZone: Self.berlin)
        #expect(
            days == [
                GitDayActivity(dayStart: Timestamp(seconds: 1_774_652_400)),
                GitDayActivity(
                    dayStart: Timestamp(seconds: 1_774_738_800), commits: 1, merges: 1, linesAdded: 12, linesDeleted: 10, filesChanged: 3,
                    authorCommits: ["ana@example.org": 1]),
            ])
    }

    @Test("an empty output is no commits")
    func empty() throws {
        let range = Timestamp(seconds: 1_774_652_400)...Timestamp(seconds: 1_774_652_400)
        #expect(try GitDayActivity.days(fromLog: [], in: range, timeZone: Self.berlin) == [GitDayActivity(dayStart: range.lowerBound)])
    }

    @Test(
        "rejects output in another format, saying where",
        arguments: [
            ("12\t3\ta\n", 0, "a numstat line before the first commit"),
            ("\0h\0\0notanumber\0a@b\n", 4, "the committer time is not a number of seconds"),
            ("\0h\0\01\0a@b\0extra\n", 9, "a commit header with too many fields"),
            ("\0h\0\01\n", 5, "a commit header with too few fields"),
            ("\0h\0\01\0a@b\n\nx\t1\tf\n", 11, "a numstat count that is neither digits nor '-'"),
            ("\0h\0\01\0a@b", 9, "the output ends inside a commit header"),
        ])
    func malformed(text: String, offset: Int, reason: String) {
        let range = Timestamp(seconds: 0)...Timestamp(seconds: 10)
        #expect(throws: GitLogParseError(offset: offset, reason: reason)) {
            try GitDayActivity.days(fromLog: Array(text.utf8), in: range, timeZone: Self.berlin)
        }
    }
}
