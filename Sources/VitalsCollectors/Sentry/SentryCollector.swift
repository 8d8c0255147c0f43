public import Foundation
public import VitalsCore
import VitalsHTTP

/// Reads one Sentry project: release health from the organization sessions API, accepted errors from `stats_v2`, and
/// issues (``SentrySource`` defines each metric).
///
/// A run reads from the start of the local day of the request's `since` (or ``defaultHistory`` before `now`), at most
/// ``retention`` back (from the start of the first whole day in it): what Sentry keeps of sessions and stats, so
/// `--backfill 90d` fills what there is.
public struct SentryCollector: Collector {
    public let source: String
    public let organization: String
    public let project: String
    public let environment: String?
    public let client: SentryClient
    public let interval: TimeSpan
    public let defaultHistory: TimeSpan
    public var family: MetricFamily { .stability }
    public var metrics: [String] { SentrySource.definition.writtenMetrics }
    /// How far back Sentry answers session and stats queries.
    public static let retention = TimeSpan.days(90)

    public init(
        source: String = "sentry", organization: String, project: String, environment: String? = nil, client: SentryClient,
        interval: TimeSpan = .hours(1), defaultHistory: TimeSpan = .days(30)
    ) {
        self.source = source
        self.organization = organization
        self.project = project
        self.environment = environment
        self.client = client
        self.interval = interval
        self.defaultHistory = defaultHistory
    }

    static let sessions = "sum(session)"
    static let crashFreeSessions = "crash_free_rate(session)"
    static let crashFreeUsers = "crash_free_rate(user)"
    static let quantity = "sum(quantity)"
    /// The `session.status` groups that had an error; the others are `healthy` and `abnormal`.
    static let erroredStatuses: Set<String> = ["errored", "unhandled", "crashed"]

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let client = client.keeping(request.state)
        let days = LocalDays(request.timeZone)
        // Whole days only: a first day read in part would replace its complete count.
        let earliest = days.nextStart(after: request.now.subtracting(Self.retention))
        let from = max(days.start(of: min(request.since ?? request.now.subtracting(defaultHistory), request.now)), earliest)
        do {
            let id = try await client.object("projects/\(organization)/\(project)/", as: SentryRecords.Project.self).id
            let range = [("start", RFC3339.format(from)), ("end", RFC3339.format(request.now)), ("interval", "1d"), ("project", id)]
            let scope = range + (environment.map { [("environment", $0)] } ?? [])
            let sessionsPath = "organizations/\(organization)/sessions/"
            let statuses = try await client.object(
                sessionsPath, query: scope + [("field", Self.sessions), ("groupBy", "session.status")], as: SentryRecords.Series.self)
            // Rates cannot be grouped by session.status: a query of their own.
            let rates = try await client.object(
                sessionsPath, query: scope + [("field", Self.crashFreeSessions), ("field", Self.crashFreeUsers)], as: SentryRecords.Series.self)
            let stats = try await client.object(
                "organizations/\(organization)/stats_v2/",
                query: range + [("field", Self.quantity), ("category", "error"), ("outcome", "accepted"), ("groupBy", "outcome")],
                as: SentryRecords.Series.self)
            let issues = "projects/\(organization)/\(project)/issues/"
            let environmentQuery = environment.map { [("environment", $0)] } ?? []
            // statsPeriod empty: no per-issue stats, which vitals does not read.
            let unresolved = try await client.list(
                issues, query: [("query", "is:unresolved"), ("statsPeriod", "")] + environmentQuery, as: SentryRecords.Issue.self)
            let new = try await client.list(
                issues, query: [("query", "firstSeen:>=\(RFC3339.format(from))"), ("statsPeriod", "")] + environmentQuery,
                as: SentryRecords.Issue.self)
            return samples(
                statuses: statuses, rates: rates, stats: stats, unresolved: unresolved.count, new: new,
                days: days.starts(from: from, through: request.now), now: request.now)
        } catch let error as RemoteAPIError {
            throw CollectorError(source: source, error.description)
        } catch let error as HTTPError {
            throw CollectorError(source: source, error.description)
        }
    }

    /// The samples of one run: pure, so the arithmetic is tested on small answers.
    func samples(
        statuses: SentryRecords.Series, rates: SentryRecords.Series, stats: SentryRecords.Series, unresolved: Int, new: [SentryRecords.Issue],
        days: [Timestamp], now: Timestamp
    ) -> [Sample] {
        let labels: Labels = ["project": project]
        let scoped = labels.setting("environment", to: environment)
        var samples: [Sample] = []
        let all = Set(statuses.groups.compactMap { $0.by["session.status"] })
        let totals = statuses.sum(Self.sessions, where: "session.status", in: all)
        let errored = statuses.sum(Self.sessions, where: "session.status", in: Self.erroredStatuses)
        for (index, start) in statuses.intervals.enumerated() where totals[index] > 0 {
            samples.append(Sample(SentrySource.errorRatio, scoped, kind: .gauge, unit: .ratio, at: start, value: errored[index] / totals[index]))
        }
        for (metric, field) in [(SentrySource.crashFreeSessions, Self.crashFreeSessions), (SentrySource.crashFreeUsers, Self.crashFreeUsers)] {
            for (start, value) in zip(rates.intervals, rates.values(field)) {
                if let value { samples.append(Sample(metric, scoped, kind: .gauge, unit: .ratio, at: start, value: value)) }
            }
        }
        for (start, count) in zip(stats.intervals, stats.sum(Self.quantity, where: "outcome", in: ["accepted"])) {
            samples.append(Sample(SentrySource.eventsAccepted, labels, kind: .event, unit: .count, at: start, value: count))
        }
        samples.append(Sample(SentrySource.unresolvedIssues, scoped, kind: .gauge, unit: .count, at: now, value: Double(unresolved)))
        for day in IssueFigures.perDay(new.map(\.firstSeen), days: days) {
            samples.append(Sample(SentrySource.newIssues, scoped, kind: .event, unit: .count, at: day.day, value: Double(day.count)))
        }
        return samples
    }
}
