public import Foundation
public import VitalsCore
import VitalsHTTP

/// Reads one Linear team through the GraphQL API (``LinearSource`` defines each metric): issues completed since the start
/// of the local day of the request's `since` (or ``defaultHistory`` before `now`; Linear keeps all of them, so
/// `--backfill 90d` reads 90 days), the active and previous cycles, and open bugs.
public struct LinearCollector: Collector {
    public let source: String
    /// The team's key (`ENG`).
    public let team: String
    public let bugLabels: [String]
    public let client: LinearClient
    public let interval: TimeSpan
    public let defaultHistory: TimeSpan
    public var family: MetricFamily { .velocity }
    public var metrics: [String] { LinearSource.definition.writtenMetrics }

    public init(
        source: String = "linear", team: String, bugLabels: [String] = ["bug"], client: LinearClient, interval: TimeSpan = .hours(1),
        defaultHistory: TimeSpan = .days(30)
    ) {
        self.source = source
        self.team = team
        self.bugLabels = bugLabels
        self.client = client
        self.interval = interval
        self.defaultHistory = defaultHistory
    }

    static let issuesQuery = """
        query Issues($filter: IssueFilter!, $after: String) {
          issues(first: 100, after: $after, filter: $filter) {
            nodes { id estimate startedAt completedAt }
            pageInfo { hasNextPage endCursor }
          }
        }
        """

    static let cyclesQuery = """
        query Cycles($filter: CycleFilter!, $after: String) {
          cycles(first: 50, after: $after, filter: $filter) {
            nodes { id number isActive scopeHistory completedScopeHistory }
            pageInfo { hasNextPage endCursor }
          }
        }
        """

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let client = client.keeping(request.state)
        let days = LocalDays(request.timeZone)
        let from = days.start(of: min(request.since ?? request.now.subtracting(defaultHistory), request.now))
        let teamFilter: [String: any Sendable] = ["key": ["eq": team] as [String: any Sendable]]
        do {
            let completed = try await client.nodes(
                "issues", query: Self.issuesQuery,
                variables: [
                    "filter": ["team": teamFilter, "completedAt": ["gte": RFC3339.format(from)] as [String: any Sendable]] as [String: any Sendable]
                ],
                as: LinearRecords.Issue.self)
            let bugLabelFilters: [any Sendable] = bugLabels.map { ["name": ["eqIgnoreCase": $0] as [String: any Sendable]] as [String: any Sendable] }
            let bugs = try await client.nodes(
                "issues", query: Self.issuesQuery,
                variables: [
                    "filter": [
                        "team": teamFilter,
                        "state": ["type": ["nin": ["completed", "canceled"]] as [String: any Sendable]] as [String: any Sendable],
                        "labels": ["some": ["or": bugLabelFilters] as [String: any Sendable]] as [String: any Sendable],
                    ] as [String: any Sendable]
                ], as: LinearRecords.Issue.self)
            let active: [String: any Sendable] = ["isActive": ["eq": true] as [String: any Sendable]]
            let previous: [String: any Sendable] = ["isPrevious": ["eq": true] as [String: any Sendable]]
            let cycles = try await client.nodes(
                "cycles", query: Self.cyclesQuery,
                variables: ["filter": ["team": teamFilter, "or": [active, previous] as [any Sendable]] as [String: any Sendable]],
                as: LinearRecords.Cycle.self)
            return samples(
                completed: completed, bugs: Set(bugs.map(\.id)).count, cycles: cycles, days: days.starts(from: from, through: request.now),
                from: from, now: request.now)
        } catch let error as RemoteAPIError {
            throw CollectorError(source: source, error.description)
        } catch let error as HTTPError {
            throw CollectorError(source: source, error.description)
        }
    }

    /// The samples of one run: pure, so the arithmetic is tested on small answers.
    func samples(completed: [LinearRecords.Issue], bugs: Int, cycles: [LinearRecords.Cycle], days: [Timestamp], from: Timestamp, now: Timestamp)
        -> [Sample]
    {
        let labels: Labels = ["team": team]
        let done = completed.compactMap { issue in issue.completedAt.map { (issue: issue, at: $0) } }.filter { $0.at >= from }
        var samples: [Sample] = []
        for (start, end) in zip(days, days.dropFirst()) {
            let day = done.filter { start <= $0.at && $0.at < end }
            samples.append(Sample(LinearSource.issuesCompleted, labels, kind: .event, at: start, value: Double(day.count)))
            samples.append(
                Sample(LinearSource.pointsCompleted, labels, kind: .event, at: start, value: day.reduce(0) { $0 + ($1.issue.estimate ?? 0) }))
        }
        let cycleTimes = done.compactMap { entry in
            entry.issue.startedAt.map { Observation(at: entry.at, value: Double(entry.at.milliseconds - $0.milliseconds) / 1000) }
        }.filter { $0.value > 0 }
        samples += Observation.distinctInstants(cycleTimes).map {
            Sample(LinearSource.issueCycle, labels, kind: .gauge, unit: .seconds, at: $0.at, value: $0.value)
        }
        for cycle in cycles.sorted(by: { $0.number < $1.number }) {
            guard let scope = cycle.scopeHistory.last, scope > 0 else { continue }
            let completedScope = cycle.completedScopeHistory.last ?? 0
            let number = cycle.number == cycle.number.rounded() ? String(Int(cycle.number)) : String(cycle.number)
            samples.append(
                Sample(
                    LinearSource.cycleCompletion, labels.setting("cycle", to: number), kind: .gauge, unit: .ratio, at: now,
                    value: completedScope / scope))
        }
        samples.append(Sample(LinearSource.bugsOpen, labels, kind: .gauge, at: now, value: Double(bugs)))
        return samples
    }
}
