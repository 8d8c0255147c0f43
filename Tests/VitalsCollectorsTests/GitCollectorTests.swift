import Foundation
import Testing
import VitalsTestSupport
import VitalsCollectors
import VitalsCore

@Suite("Git collector on real repositories")
struct GitCollectorTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let repo: Labels = ["repo": "project"]

    static func time(_ text: String) -> Timestamp { RFC3339.parse(text)! }

    static func event(_ name: String, _ day: String, _ value: Double, unit: MetricUnit = .count, labels: Labels = repo) -> Sample {
        Sample(name, labels, kind: .event, unit: unit, at: time(day), value: value)
    }

    /// A day with commits: every metric, and one author series per author.
    static func day(_ start: String, commits: Double, merges: Double, added: Double, deleted: Double, files: Double, authors: [String: Double])
        -> [Sample]
    {
        [
            event("git_commits", start, commits), event("git_merges", start, merges), event("git_lines_added", start, added, unit: .lines),
            event("git_lines_deleted", start, deleted, unit: .lines), event("git_files_changed", start, files),
        ] + authors.map { event("git_author_commits", start, $1, labels: repo.setting("author", to: $0)) }
    }

    /// Commits around the 2026-03-29 DST change in Berlin (clocks jump from 02:00 to 03:00), with a commit before
    /// and one after the collected range, a binary file, a rename and a `--no-ff` merge.
    static func history() throws -> GitRepository {
        let repository = try GitRepository()
        try repository.write("README.md", "one\ntwo\nthree\n")
        try repository.commit("Before the range", at: "2026-03-26T20:00:00+01:00", by: .bo)
        try repository.write("src/a.swift", "1\n2\n3\n4\n")
        try repository.write("logo.png", bytes: [0x89, 0x50, 0, 1, 2, 0, 255])
        try repository.commit("Add code and logo", at: "2026-03-28T23:30:00+01:00")
        try repository.git("checkout", "-q", "-b", "feature")
        try repository.write("src/a.swift", "1\nX\n3\n4\n5\n6\n")
        // 23:30 UTC on the 28th, but 00:30 on the 29th in Berlin.
        try repository.commit("Change code", at: "2026-03-29T00:30:00+01:00")
        try repository.git("checkout", "-q", "main")
        try repository.git("mv", "README.md", "GUIDE.md")
        try repository.commit("Move readme", at: "2026-03-29T23:30:00+02:00", by: .bo)
        try repository.merge("feature", at: "2026-03-30T09:00:00+02:00", by: .bo)
        try repository.write("late.txt", "after now\n")
        try repository.commit("After now", at: "2026-03-31T13:00:00+02:00", by: .bo)
        return repository
    }

    static let request = CollectionRequest(
        now: time("2026-03-31T12:00:00+02:00"), timeZone: berlin, since: time("2026-03-27T00:00:00+01:00"))

    @Test("counts commits, merges, lines, files and authors per Berlin day across the DST change")
    func dailyActivity() async throws {
        let repository = try Self.history()
        let samples = try await GitCollector(repository: repository.url).collect(Self.request)
        let expected =
            [Self.event("git_commits", "2026-03-27T00:00:00+01:00", 0)]
            + Self.day(
                "2026-03-28T00:00:00+01:00", commits: 1, merges: 0, added: 4, deleted: 0, files: 2, authors: ["ana@example.org": 1])
            + Self.day(
                "2026-03-29T00:00:00+01:00", commits: 2, merges: 0, added: 6, deleted: 4, files: 3,
                authors: ["ana@example.org": 1, "bo@example.org": 1])
            + Self.day("2026-03-30T00:00:00+02:00", commits: 0, merges: 1, added: 0, deleted: 0, files: 0, authors: [:])
            + [Self.event("git_commits", "2026-03-31T00:00:00+02:00", 0)]
        #expect(samples.count == expected.count)
        #expect(Set(samples) == Set(expected))
    }

    @Test("distinct authors over the range are the author series, fewer than the per-day sum")
    func distinctAuthors() async throws {
        let repository = try Self.history()
        let samples = try await GitCollector(repository: repository.url).collect(Self.request)
        let authorSamples = samples.filter { $0.series.key.name == "git_author_commits" }
        #expect(Set(authorSamples.map(\.series.key)).count == 2)
        #expect(authorSamples.count == 3)
        #expect(authorSamples.map(\.value).reduce(0, +) == 3)
    }

    @Test("reads the given branch instead of HEAD")
    func branch() async throws {
        let repository = try Self.history()
        let samples = try await GitCollector(repository: repository.url, branch: "feature").collect(Self.request)
        let commits = samples.filter { $0.series.key.name == "git_commits" }.map { "\($0.timestamp)=\(Int($0.value))" }
        #expect(
            commits == [
                "2026-03-26T23:00:00Z=0", "2026-03-27T23:00:00Z=1", "2026-03-28T23:00:00Z=1", "2026-03-29T22:00:00Z=0", "2026-03-30T22:00:00Z=0",
            ])
    }

    @Test("an empty repository writes no day: every day is before its first commit")
    func emptyRepository() async throws {
        let repository = try GitRepository()
        let collector = GitCollector(repository: repository.url, defaultHistory: .days(2))
        let samples = try await collector.collect(CollectionRequest(now: Self.time("2026-03-31T12:00:00+02:00"), timeZone: Self.berlin))
        #expect(samples.isEmpty)
    }

    @Test("a folder that is not a repository is an error naming the folder and git's message")
    func notARepository() async throws {
        let folder = try GitRepository(initialize: false)
        let error = try await #require(throws: CollectorError.self) {
            try await GitCollector(source: "history", repository: folder.url).collect(Self.request)
        }
        #expect(error.source == "history")
        #expect(error.message.hasPrefix("git log failed in \(folder.url.path) (exit status 128): fatal: not a git repository"))
    }

    @Test("an unknown branch is an error carrying git's message")
    func unknownBranch() async throws {
        let repository = try Self.history()
        let error = try await #require(throws: CollectorError.self) {
            try await GitCollector(repository: repository.url, branch: "nope").collect(Self.request)
        }
        #expect(error.message == "git log failed in \(repository.url.path) (exit status 128): fatal: bad revision 'nope'")
    }

    @Test("totals over 50 generated commits match git log --numstat counted by awk")
    func generatedHistory() async throws {
        let repository = try GitRepository()
        let start = Self.time("2026-02-01T08:00:00Z")
        for index in 0..<50 {
            let date = start.adding(.hours(Int64(index) * 7))
            if index % 10 == 9 {
                try repository.git("checkout", "-q", "-b", "topic\(index)")
                try repository.write("topic/\(index).txt", String(repeating: "line\n", count: index))
                try repository.commit("Topic \(index)", at: date.description, by: .bo)
                try repository.git("checkout", "-q", "main")
                try repository.merge("topic\(index)", at: date.adding(.minutes(30)).description, by: .bo)
                continue
            }
            try repository.write("file\(index % 7).txt", (0..<(index * 3 % 11 + 1)).map { "v\(index)-\($0)\n" }.joined())
            if index % 6 == 5 { try repository.write("data\(index).bin", bytes: [0, UInt8(index), 0]) }
            try repository.commit("Commit \(index)", at: date.description, by: index % 2 == 0 ? .ana : .bo)
        }
        let collector = GitCollector(repository: repository.url)
        let samples = try await collector.collect(
            CollectionRequest(now: Self.time("2026-03-01T00:00:00Z"), timeZone: Self.berlin, since: Self.time("2026-01-01T00:00:00Z")))
        func total(_ name: String) -> Int { Int(samples.filter { $0.series.key.name == name }.map(\.value).reduce(0, +)) }

        let numstat = try repository.shell(
            "git log --no-renames --no-merges --numstat --format= "
                + "| awk 'NF { added += $1; deleted += $2; files++ } END { print added, deleted, files }'")
        let commits = try repository.shell("git rev-list --count --no-merges HEAD")
        let merges = try repository.shell("git rev-list --count --merges HEAD")
        #expect("\(total("git_lines_added")) \(total("git_lines_deleted")) \(total("git_files_changed"))\n" == numstat)
        #expect("\(total("git_commits"))\n" == commits)
        #expect("\(total("git_merges"))\n" == merges)
        #expect(total("git_commits") == 50)
        #expect(total("git_merges") == 5)
        #expect(total("git_author_commits") == 50)
    }
}
