public import Foundation
public import VitalsCore

/// Daily commit activity of a git repository: commits, merges, changed lines and files, commits per author.
///
/// Reads the commits reachable from the branch (all parents, as `git log` lists them) with one streaming
/// `git log --numstat`, and counts each on the local day of its committer date in the request's time zone.
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
    public var metrics: [String] { GitMetrics.all }

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

    /// One sample set per local day from the day `since` falls on through the day `now` falls on.
    ///
    /// The range starts at the midnight of the first day rather than at `since` itself: every sample stands
    /// for a whole day, and a partial first day would overwrite a complete count stored by an earlier run.
    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let calendar = Calendar.gregorian(in: request.timeZone)
        let since = request.since ?? request.now.subtracting(defaultHistory)
        let range = Timestamp(calendar.startOfDay(for: since.date))...request.now
        let days = try await runBlocking { [self] in try activity(in: range, timeZone: request.timeZone) }
        let labels: Labels = ["repo": RepositoryName.label(of: repository, configured: repo)]
        return days.flatMap { GitMetrics.samples(of: $0, labels: labels) }
    }

    /// Streams `git log` through the parser into the per-day totals.
    func activity(in range: ClosedRange<Timestamp>, timeZone: TimeZone) throws -> [GitDayActivity] {
        let git = GitInvocation(repository: repository, source: source)
        var parser = GitLogParser()
        var aggregator = GitActivityAggregator(range: range, timeZone: timeZone)
        // --since and --until only let git stop walking early; the aggregator applies the exact range.
        let arguments =
            ["log", "--no-renames"] + GitLogParser.formatArguments + [
                "--since=@\(range.lowerBound.milliseconds / 1000)", "--until=@\(range.upperBound.milliseconds / 1000)",
                "--end-of-options", branch ?? "HEAD", "--",
            ]
        let result = try git.run(arguments) { chunk in try parser.consume(chunk) { aggregator.add($0) } }
        guard result.succeeded else {
            if branch == nil, git.hasNoCommits() { return aggregator.days }
            throw git.failure(arguments, result)
        }
        do {
            try parser.finish { aggregator.add($0) }
        } catch {
            throw CollectorError(source: source, "cannot read the git repository \(repository.path): \(error)")
        }
        return aggregator.days
    }
}
