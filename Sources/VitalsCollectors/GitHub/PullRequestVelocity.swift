public import VitalsCore

/// A pull request as the velocity figures need it: GitHub's list item with its submitted reviews and, for a merged one,
/// its size.
public struct PullRequestRecord: Sendable, Equatable {
    public let number: Int
    /// Its title and web page (`html_url`), as GitHub gave them; nil when not read.
    public let title: String?
    public let url: String?
    /// The author's login; nil for a deleted account.
    public let author: String?
    public let createdAt: Timestamp
    public let updatedAt: Timestamp
    public let mergedAt: Timestamp?
    public let isOpen: Bool
    /// Submitted reviews: reviewer login (nil for a deleted account) and when each was submitted.
    public let reviews: [(login: String?, at: Timestamp)]
    /// Lines added plus lines deleted; nil when not read.
    public let lines: Int?

    public init(
        number: Int, author: String?, createdAt: Timestamp, updatedAt: Timestamp, mergedAt: Timestamp? = nil, isOpen: Bool = false,
        reviews: [(login: String?, at: Timestamp)] = [], lines: Int? = nil, title: String? = nil, url: String? = nil
    ) {
        self.number = number
        self.title = title
        self.url = url
        self.author = author
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.mergedAt = mergedAt
        self.isOpen = isOpen
        self.reviews = reviews
        self.lines = lines
    }

    public static func == (lhs: PullRequestRecord, rhs: PullRequestRecord) -> Bool {
        lhs.number == rhs.number && lhs.author == rhs.author && lhs.createdAt == rhs.createdAt && lhs.updatedAt == rhs.updatedAt
            && lhs.mergedAt == rhs.mergedAt && lhs.isOpen == rhs.isOpen && lhs.lines == rhs.lines
            && lhs.reviews.map(\.login) == rhs.reviews.map(\.login) && lhs.reviews.map(\.at) == rhs.reviews.map(\.at)
    }

    /// The first review submitted by someone other than the author (a deleted reviewer counts as someone else).
    public var firstReview: Timestamp? {
        reviews.filter { $0.login == nil || $0.login != author }.map(\.at).min()
    }
}

/// The pull-request figures: pure functions over records, windows `[from, to)`; `docs/metrics.md` states each.
public enum PullRequestVelocity {
    /// Pull requests merged per local day; `days` are the day starts, each day running to the next.
    public static func mergedPerDay(_ pulls: [PullRequestRecord], days: [Timestamp]) -> [(day: Timestamp, count: Int)] {
        let merged = pulls.compactMap(\.mergedAt)
        return zip(days, days.dropFirst()).map { start, end in (start, merged.count { start <= $0 && $0 < end }) }
    }

    /// Per pull request merged in the window: merged minus created, stamped at the merge.
    public static func cycleTimes(_ pulls: [PullRequestRecord], from: Timestamp, to: Timestamp) -> [Observation] {
        merged(pulls, from: from, to: to).map { Observation(at: $0.mergedAt!, value: seconds(from: $0.createdAt, to: $0.mergedAt!)) }
    }

    /// Per pull request whose first review by someone other than its author was submitted in the window: that review's
    /// time minus the pull request's creation, stamped at the review.
    public static func firstReviewTimes(_ pulls: [PullRequestRecord], from: Timestamp, to: Timestamp) -> [Observation] {
        pulls.compactMap { pull in
            guard let review = pull.firstReview, from <= review, review < to else { return nil }
            return Observation(at: review, value: seconds(from: pull.createdAt, to: review))
        }.sorted { ($0.at, $0.value) < ($1.at, $1.value) }
    }

    /// Per pull request merged in the window whose size was read: lines added plus deleted, stamped at the merge.
    public static func sizes(_ pulls: [PullRequestRecord], from: Timestamp, to: Timestamp) -> [Observation] {
        merged(pulls, from: from, to: to).compactMap { pull in pull.lines.map { Observation(at: pull.mergedAt!, value: Double($0)) } }
    }

    /// Open pull requests, and those of them not updated for `staleAfter` before `now`.
    public static func open(_ pulls: [PullRequestRecord], now: Timestamp, staleAfter: TimeSpan = .days(7)) -> (open: Int, stale: Int) {
        (pulls.count(where: \.isOpen), stale(pulls, now: now, staleAfter: staleAfter).count)
    }

    /// The open pull requests not updated for `staleAfter` before `now`, least recently updated first.
    public static func stale(_ pulls: [PullRequestRecord], now: Timestamp, staleAfter: TimeSpan = .days(7)) -> [PullRequestRecord] {
        pulls.filter { $0.isOpen && $0.updatedAt < now.subtracting(staleAfter) }.sorted { ($0.updatedAt, $0.number) < ($1.updatedAt, $1.number) }
    }

    static func merged(_ pulls: [PullRequestRecord], from: Timestamp, to: Timestamp) -> [PullRequestRecord] {
        pulls.filter { $0.mergedAt.map { from <= $0 && $0 < to } ?? false }.sorted { ($0.mergedAt!, $0.number) < ($1.mergedAt!, $1.number) }
    }

    static func seconds(from start: Timestamp, to end: Timestamp) -> Double { Double(end.milliseconds - start.milliseconds) / 1000 }
}
