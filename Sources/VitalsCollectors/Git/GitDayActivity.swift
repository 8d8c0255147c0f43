public import Foundation
public import VitalsCore

/// What the commits of one local day add up to.
public struct GitDayActivity: Sendable, Equatable {
    /// The local midnight the day starts at.
    public let dayStart: Timestamp
    /// Non-merge commits.
    public var commits: Int
    /// Commits with two or more parents.
    public var merges: Int
    /// Numstat totals of the non-merge commits.
    public var linesAdded: Int
    public var linesDeleted: Int
    public var filesChanged: Int
    /// Non-merge commits per lowercased author email.
    public var authorCommits: [String: Int]

    public init(
        dayStart: Timestamp, commits: Int = 0, merges: Int = 0, linesAdded: Int = 0, linesDeleted: Int = 0, filesChanged: Int = 0,
        authorCommits: [String: Int] = [:]
    ) {
        self.dayStart = dayStart
        self.commits = commits
        self.merges = merges
        self.linesAdded = linesAdded
        self.linesDeleted = linesDeleted
        self.filesChanged = filesChanged
        self.authorCommits = authorCommits
    }

    /// Whether no commit at all, merge or not, fell on the day.
    public var isEmpty: Bool { commits == 0 && merges == 0 }

    /// Parses complete `git log` output (see ``GitLogParser``) into one entry per local day of `range`,
    /// empty days included, counting only commits whose committer date lies in `range`.
    public static func days(fromLog log: [UInt8], in range: ClosedRange<Timestamp>, timeZone: TimeZone) throws(GitLogParseError) -> [GitDayActivity] {
        var parser = GitLogParser()
        var aggregator = GitActivityAggregator(range: range, timeZone: timeZone)
        try parser.consume(log) { aggregator.add($0) }
        try parser.finish { aggregator.add($0) }
        return aggregator.days
    }
}

/// Adds commits, as they stream out of the parser, to the local day their committer date falls on.
public struct GitActivityAggregator: Sendable {
    /// The committer dates counted; commits outside are ignored.
    public let range: ClosedRange<Timestamp>
    /// One entry per local day that `range` touches, in order.
    public private(set) var days: [GitDayActivity]

    public init(range: ClosedRange<Timestamp>, timeZone: TimeZone) {
        self.range = range
        let period = Period(from: range.lowerBound, to: range.upperBound.adding(TimeSpan(milliseconds: 1)))
        // Day starts are computed once with the calendar (DST-correct); each commit then only needs a binary search.
        days = period.dayStarts(in: timeZone).map { GitDayActivity(dayStart: $0) }
    }

    public mutating func add(_ commit: GitCommitStats) {
        let time = Timestamp(seconds: commit.committerTime)
        guard range.contains(time) else { return }
        let index = dayIndex(of: time)
        if commit.isMerge {
            days[index].merges += 1
            return
        }
        days[index].commits += 1
        days[index].linesAdded += commit.linesAdded
        days[index].linesDeleted += commit.linesDeleted
        days[index].filesChanged += commit.filesChanged
        days[index].authorCommits[commit.authorEmail.lowercased(), default: 0] += 1
    }

    /// The last day starting at or before `time`.
    private func dayIndex(of time: Timestamp) -> Int {
        var low = 0
        var high = days.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if days[middle].dayStart <= time { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
