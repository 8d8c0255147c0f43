public import Foundation
public import VitalsCore

/// Daily commit activity of a git repository: commits, merges, changed lines and files, commits per author.
///
/// Reads the commits reachable from the branch (all parents, as `git log` lists them, whatever order their dates are in)
/// with one streaming `git log --numstat`, and counts each on the local day of its committer date in the request's time zone.
/// Needs git 2.38 or later (`--since-as-filter`).
public struct GitCollector: LocalCollector {
    public let source: String
    public let repository: URL
    /// The branch whose history is read; nil reads `HEAD`.
    public let branch: String?
    /// How far back a run reads when the request gives no `since`.
    public let defaultHistory: TimeSpan
    public let interval: TimeSpan
    /// The `repo` label as configured; nil derives it from the repository (``RepositoryName``).
    public let repo: String?
    public var family: MetricFamily { .velocity }
    public var metrics: [String] { GitSource.definition.writtenMetrics }

    public init(
        source: String = "git", repository: URL, branch: String? = nil, defaultHistory: TimeSpan = .days(90), interval: TimeSpan = .hours(1),
        repo: String? = nil
    ) {
        self.source = source
        self.repository = repository
        self.branch = branch
        self.defaultHistory = defaultHistory
        self.interval = interval
        self.repo = repo
    }

    /// One sample set per local day from the day `since` falls on through the day `now` falls on, leaving out the days
    /// before the repository's first commit.
    ///
    /// The range starts at the midnight of the first day rather than at `since` itself: every sample stands
    /// for a whole day, and a partial first day would overwrite a complete count stored by an earlier run.
    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let since = min(request.since ?? request.now.subtracting(defaultHistory), request.now)
        let days = try await runBlocking { [self] in try activity(since: since, now: request.now, timeZone: request.timeZone) }
        let labels: Labels = ["repo": RepositoryName.label(of: repository, configured: repo)]
        return days.flatMap { GitMetrics.samples(of: $0, labels: labels) }
    }

    /// Streams `git log` through the parser into the per-day totals.
    func activity(since: Timestamp, now: Timestamp, timeZone: TimeZone) throws -> [GitDayActivity] {
        let git = GitInvocation(repository: repository, source: source)
        guard let start = try historyStart(git, since: since), start <= now else { return [] }
        let range = LocalDays(timeZone).start(of: start)...now
        var parser = GitLogParser()
        var aggregator = GitActivityAggregator(range: range, timeZone: timeZone)
        // The bounds only spare git the diffs of commits outside the range; the aggregator applies the exact range.
        // --since-as-filter, unlike --since, does not stop the walk at the first commit dated before the bound (a
        // skewed clock, a rebase), so the older commits behind it are still read.
        let bounds =
            (range.lowerBound.milliseconds > 0 ? [Self.dateOption("--since-as-filter", range.lowerBound)] : [])
            + [Self.dateOption("--until", now)]
        let read = try log(git, ["--no-renames"] + GitLogParser.formatArguments + bounds) { chunk in
            try parser.consume(chunk) { aggregator.add($0) }
        }
        guard read else { return [] }
        do {
            try parser.finish { aggregator.add($0) }
        } catch {
            throw CollectorError(source: source, "cannot read the git repository \(repository.path): \(error)")
        }
        return aggregator.days
    }

    /// Where the days to write begin: `since`, or the earliest committer date when no commit is older than `since`
    /// (days before a repository's first commit are not written); nil for a repository with no commits yet.
    ///
    /// A commit older than `since` is usually found after a short walk; only a read reaching back past the first commit
    /// lists the dates of the whole history (a cheap walk beside the diffs the read then makes of every commit).
    private func historyStart(_ git: GitInvocation, since: Timestamp) throws -> Timestamp? {
        var output = Data()
        // Git dates are never before 1970, so an earlier `since` has nothing older.
        if since.milliseconds > 0 {
            guard try log(git, ["-1", "--format=%ct", Self.dateOption("--until", since)], standardOutput: { output.append(contentsOf: $0) })
            else { return nil }
            if !output.isEmpty { return since }
        }
        guard try log(git, ["--format=%ct"], standardOutput: { output.append(contentsOf: $0) }) else { return nil }
        let first = String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { Int64($0) }.min()
        return first.map { Timestamp(seconds: $0) }
    }

    /// Runs `git log ARGUMENTS` on the branch; false when the branch is `HEAD` of a repository with no commits yet.
    private func log(_ git: GitInvocation, _ arguments: [String], standardOutput: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let arguments = ["log"] + arguments + ["--end-of-options", branch ?? "HEAD", "--"]
        let result = try git.run(arguments, standardOutput: standardOutput)
        guard result.succeeded else {
            if branch == nil, git.hasNoCommits() { return false }
            throw git.failure(arguments, result)
        }
        return true
    }

    /// A date option git reads as an exact instant. The ` +0000` matters: without it git reads `@` and eight or fewer
    /// digits (any instant before March 1973) as a calendar date, not as seconds since the epoch.
    static func dateOption(_ name: String, _ time: Timestamp) -> String {
        "\(name)=@\(time.milliseconds / 1000) +0000"
    }
}
