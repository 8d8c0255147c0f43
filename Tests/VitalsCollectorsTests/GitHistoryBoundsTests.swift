import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

/// The git collector reads every reachable commit of the window whatever the dates around it, reads nothing before the
/// first commit, and takes any bound.
@Suite("Git collector history bounds on real repositories")
struct GitHistoryBoundsTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func time(_ text: String) -> Timestamp { RFC3339.parse(text)! }

    /// The non-zero values of one metric per day, as `day=value`.
    static func counts(_ samples: [Sample], _ name: String) -> [String: Int] {
        Dictionary(
            uniqueKeysWithValues: samples.filter { $0.series.key.name == name && $0.value != 0 }.map { ("\($0.timestamp)", Int($0.value)) })
    }

    /// What `git log --format=%ct` (no date bound) lists, counted by hand per UTC day inside `since...now`.
    static func reference(_ repository: GitRepository, _ filter: String, since: Timestamp, now: Timestamp) throws -> [String: Int] {
        let times = try repository.git("log", filter, "--format=%ct").split(separator: "\n").map { Timestamp(seconds: Int64($0)!) }
        var counts: [String: Int] = [:]
        for time in times where since <= time && time <= now {
            counts["\(Timestamp(seconds: time.milliseconds / 1000 / 86_400 * 86_400))", default: 0] += 1
        }
        return counts
    }

    /// A history whose committer dates jump around: a 1970 date in the middle of the branch (index 6), dates before the
    /// window and after `now`, and in-window dates out of order (as a rebase leaves them), with merges of side branches.
    @Test("commits behind a commit with an older date are still counted", arguments: [1, 2, 3, 4] as [UInt64])
    func skewedCommitterDates(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let since = Self.time("2026-02-01T00:00:00Z")
        let now = Self.time("2026-03-01T00:00:00Z")
        let repository = try GitRepository()
        func date(_ index: Int) -> Timestamp {
            switch index == 6 ? 0 : index == 0 ? 9 : Int.random(in: 0..<10, using: &random) {
            case 0: Self.time("1970-01-02T00:00:00Z").adding(.hours(Int64.random(in: 0..<2_000, using: &random)))
            case 1: since.subtracting(.hours(Int64.random(in: 1..<5_000, using: &random)))
            case 2: now.adding(.hours(Int64.random(in: 1..<500, using: &random)))
            default: since.adding(.minutes(Int64.random(in: 0..<(28 * 24 * 60), using: &random)))
            }
        }
        for index in 0..<20 {
            if index % 7 == 3 {
                try repository.git("checkout", "-q", "-b", "side\(index)")
                try repository.write("side\(index).txt", "side \(index)\n")
                try repository.commit("Side \(index)", at: date(index).description, by: .bo)
                try repository.git("checkout", "-q", "main")
                try repository.merge("side\(index)", at: date(index).description)
                continue
            }
            try repository.write("file\(index % 4).txt", "change \(index)\n")
            try repository.commit("Change \(index)", at: date(index).description, by: index % 2 == 0 ? .ana : .bo)
        }
        let samples = try await GitCollector(repository: repository.url).collect(CollectionRequest(now: now, timeZone: Self.utc, since: since))

        let commits = try Self.reference(repository, "--no-merges", since: since, now: now)
        #expect(Self.counts(samples, "git_commits") == commits)
        #expect(Self.counts(samples, "git_merges") == (try Self.reference(repository, "--merges", since: since, now: now)))
        #expect(!commits.isEmpty)
        // Every day of the window is written: the history began before it (the commit dated 1970).
        #expect(samples.filter { $0.series.key.name == "git_commits" }.count == 29)
    }

    @Test("a bound before March 1973 (eight digits of seconds) is read as an instant, not as a calendar date")
    func boundBefore1973() async throws {
        let repository = try GitRepository()
        try repository.commit("Old", at: "1971-03-01T12:00:00+00:00")
        try repository.commit("New", at: "2026-01-10T12:00:00+00:00")
        try repository.commit("Newer", at: "2026-01-12T12:00:00+00:00", by: .bo)
        let request = CollectionRequest(now: Self.time("2026-01-15T00:00:00Z"), timeZone: Self.utc, since: Self.time("1971-01-01T00:00:00Z"))
        let samples = try await GitCollector(repository: repository.url).collect(request)
        #expect(
            Self.counts(samples, "git_commits") == ["1971-03-01T00:00:00Z": 1, "2026-01-10T00:00:00Z": 1, "2026-01-12T00:00:00Z": 1])
        // The days start at the first commit's day, not at `since`.
        let days = samples.filter { $0.series.key.name == "git_commits" }.map(\.timestamp)
        #expect(days.first == Self.time("1971-03-01T00:00:00Z"))
        #expect(days.count == 20_045)
    }

    @Test("days before the repository's first commit are not written")
    func nothingBeforeTheFirstCommit() async throws {
        let repository = try GitRepository()
        try repository.commit("First", at: "2026-03-10T08:00:00+00:00")
        try repository.commit("Second", at: "2026-03-12T08:00:00+00:00")
        let request = CollectionRequest(now: Self.time("2026-03-14T12:00:00Z"), timeZone: Self.utc, since: Self.time("2025-01-01T00:00:00Z"))
        let samples = try await GitCollector(repository: repository.url).collect(request)
        let commits = samples.filter { $0.series.key.name == "git_commits" }.map { "\($0.timestamp)=\(Int($0.value))" }
        #expect(
            commits == [
                "2026-03-10T00:00:00Z=1", "2026-03-11T00:00:00Z=0", "2026-03-12T00:00:00Z=1", "2026-03-13T00:00:00Z=0", "2026-03-14T00:00:00Z=0",
            ])
    }

    @Test("the longest span (10000y) reads from the first commit, not from 7974 BC")
    func absurdSpan() async throws {
        let repository = try GitRepository()
        try repository.commit("First", at: "2026-03-10T08:00:00+00:00")
        let now = Self.time("2026-03-12T12:00:00Z")
        let request = CollectionRequest(now: now, timeZone: Self.utc, since: now.subtracting(try TimeSpan(parsing: "10000y")))
        let samples = try await GitCollector(repository: repository.url).collect(request)
        #expect(
            samples.filter { $0.series.key.name == "git_commits" }.map(\.timestamp.description) == [
                "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", "2026-03-12T00:00:00Z",
            ])
    }

    @Test("a history that starts after now writes nothing")
    func historyAfterNow() async throws {
        let repository = try GitRepository()
        try repository.commit("Later", at: "2026-03-10T08:00:00+00:00")
        let request = CollectionRequest(now: Self.time("2026-03-01T00:00:00Z"), timeZone: Self.utc, since: Self.time("2026-02-01T00:00:00Z"))
        #expect(try await GitCollector(repository: repository.url).collect(request).isEmpty)
    }

    @Test("a since after now reads the day of now")
    func sinceAfterNow() async throws {
        let repository = try GitRepository()
        try repository.commit("Before", at: "2026-03-01T08:00:00+00:00")
        try repository.commit("Today", at: "2026-03-12T08:00:00+00:00")
        let request = CollectionRequest(now: Self.time("2026-03-12T12:00:00Z"), timeZone: Self.utc, since: Self.time("2026-03-20T00:00:00Z"))
        let samples = try await GitCollector(repository: repository.url).collect(request)
        #expect(Self.counts(samples, "git_commits") == ["2026-03-12T00:00:00Z": 1])
        #expect(Set(samples.map(\.timestamp)) == [Self.time("2026-03-12T00:00:00Z")])
    }
}
