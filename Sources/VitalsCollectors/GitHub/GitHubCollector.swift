public import Foundation
public import VitalsCore
import VitalsHTTP

/// Reads one GitHub repository's pull requests, production deployments and incidents through the REST API and turns them
/// into the velocity and DORA metrics (``PullRequestVelocity``, ``Dora``; `docs/metrics.md` defines each).
///
/// A run reads from the start of the local day of the request's `since` (or ``defaultHistory`` before `now`); the DORA
/// ratio always covers the ``ratioWindow`` before `now`, so deployments are read that far back at least, plus the
/// successful deployment before, whose commit is where the first deployment's changes start.
public struct GitHubCollector: Collector {
    public let source: String
    public let interval: TimeSpan
    public var family: MetricFamily { .velocity }
    public var metrics: [String] { GitHubSource.definition.writtenMetrics }
    /// `owner/name`.
    public let repo: String
    public var client: GitHubClient
    /// The `environment` of the deployments that count as production deployments.
    public let productionEnvironment: String
    /// Issues carrying any of these labels are incidents.
    public let incidentLabels: [String]
    /// Issues carrying any of these labels are bugs.
    public let bugLabels: [String]
    /// Workflows (file names such as `deploy.yml`, or ids) whose runs are the deployments, for teams that do not use
    /// GitHub's deployments; empty reads the Deployments API.
    public let deployWorkflows: [String]
    public let defaultHistory: TimeSpan
    /// The window of `dora_change_failure_ratio` and its counts.
    public static let ratioWindow = TimeSpan.days(30)

    public init(
        source: String = "github", repo: String, client: GitHubClient, productionEnvironment: String = "production",
        incidentLabels: [String] = ["incident"], bugLabels: [String] = ["bug"], deployWorkflows: [String] = [],
        interval: TimeSpan = .hours(1), defaultHistory: TimeSpan = .days(30)
    ) {
        self.source = source
        self.repo = repo
        self.client = client
        self.productionEnvironment = productionEnvironment
        self.incidentLabels = incidentLabels
        self.bugLabels = bugLabels
        self.deployWorkflows = deployWorkflows
        self.interval = interval
        self.defaultHistory = defaultHistory
    }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        // Every request of the run keeps its page in the run's state.
        if let state = request.state, client.state == nil {
            var run = self
            run.client = client.keeping(state)
            return try await run.collect(request)
        }
        let days = LocalDays(request.timeZone)
        let from = days.start(of: min(request.since ?? request.now.subtracting(defaultHistory), request.now))
        let to = request.now.adding(TimeSpan(milliseconds: 1))
        let ratioFrom = request.now.subtracting(Self.ratioWindow)
        do {
            let pulls = try await pullRequests(updatedSince: from, mergedFrom: from, to: to)
            let deployments = try await deployments(since: min(from, ratioFrom), changesFrom: from)
            let incidents = try await incidents(updatedSince: min(from, ratioFrom))
            let runs = try await workflowRuns(from: from, to: request.now)
            let issues = try await issues(updatedSince: from)
            let alerts = try await codeScanningAlerts()
            let labels: Labels = ["repo": repo]
            let dayStarts = days.starts(from: from, through: request.now)
            var samples = samples(
                pulls: pulls, deployments: deployments, incidents: incidents, runs: runs, days: dayStarts, from: from, ratioFrom: ratioFrom,
                now: request.now)
            samples += IssueFigures.openedPerDay(issues, days: dayStarts).map {
                Sample(GitHubSource.issuesOpened, labels, kind: .event, at: $0.day, value: Double($0.count))
            }
            samples += IssueFigures.closedPerDay(issues, days: dayStarts).map {
                Sample(GitHubSource.issuesClosed, labels, kind: .event, at: $0.day, value: Double($0.count))
            }
            samples.append(
                Sample(GitHubSource.bugsOpen, labels, kind: .gauge, at: request.now, value: Double(try await openBugs())))
            if let alerts {
                samples += IssueFigures.alertsBySeverity(alerts.map(\.severity)).map {
                    Sample(
                        GitHubSource.codeScanningAlerts, labels.setting("severity", to: $0.severity), kind: .gauge, at: request.now,
                        value: Double($0.count))
                }
            }
            return samples
        } catch let error as GitHubError {
            throw CollectorError(source: source, error.description)
        } catch let error as HTTPError {
            throw CollectorError(source: source, error.description)
        }
    }

    /// The samples of one run: pure, so the collector's arithmetic is ``Dora``'s and ``PullRequestVelocity``'s.
    func samples(
        pulls: [PullRequestRecord], deployments: [DeploymentRecord], incidents: [IncidentRecord], runs: [WorkflowRunRecord], days: [Timestamp],
        from: Timestamp, ratioFrom: Timestamp, now: Timestamp
    ) -> [Sample] {
        let labels: Labels = ["repo": repo]
        let to = now.adding(TimeSpan(milliseconds: 1))
        func event(_ name: String, _ rows: [(day: Timestamp, count: Int)]) -> [Sample] {
            rows.map { Sample(name, labels, kind: .event, at: $0.day, value: Double($0.count)) }
        }
        func observed(_ name: String, _ unit: MetricUnit, _ observations: [Observation], labels: Labels = labels) -> [Sample] {
            Observation.distinctInstants(observations).map { Sample(name, labels, kind: .gauge, unit: unit, at: $0.at, value: $0.value) }
        }
        func gauge(_ name: String, _ value: Double, unit: MetricUnit = .count) -> Sample {
            Sample(name, labels, kind: .gauge, unit: unit, at: now, value: value)
        }
        let open = PullRequestVelocity.open(pulls, now: now)
        var samples = event(GitHubSource.prsMerged, PullRequestVelocity.mergedPerDay(pulls, days: days))
        samples += observed(GitHubSource.prCycle, .seconds, PullRequestVelocity.cycleTimes(pulls, from: from, to: to))
        samples += observed(GitHubSource.prFirstReview, .seconds, PullRequestVelocity.firstReviewTimes(pulls, from: from, to: to))
        samples += observed(GitHubSource.prSize, .lines, PullRequestVelocity.sizes(pulls, from: from, to: to))
        samples += [gauge(GitHubSource.prsOpen, Double(open.open)), gauge(GitHubSource.prsStale, Double(open.stale))]
        samples += PullRequestVelocity.stale(pulls, now: now).map { pull in
            Sample(
                GitHubSource.prStale, GitHubSource.stalePullLabels(pull, repo: labels), kind: .gauge, unit: .seconds, at: now,
                value: Double(now.milliseconds - pull.updatedAt.milliseconds) / 1000)
        }
        samples += event(GitHubSource.deployments, Dora.deploymentsPerDay(deployments, days: days))
        samples += observed(GitHubSource.leadTime, .seconds, Dora.leadTimes(deployments, from: from, to: to))
        samples += observed(GitHubSource.recovery, .seconds, Dora.recoveries(deployments, incidents: incidents, from: from, to: to))
        let ratio = Dora.changeFailureRatio(deployments, incidents: incidents, from: ratioFrom, to: to)
        samples += [gauge(GitHubSource.changeFailures, Double(ratio.failures)), gauge(GitHubSource.deploymentsEnded, Double(ratio.deployments))]
        if let value = ratio.ratio { samples.append(gauge(GitHubSource.changeFailureRatio, value, unit: .ratio)) }
        for count in WorkflowRunFigures.runsPerDay(runs, days: days) {
            let runLabels = labels.setting("workflow", to: count.workflow).setting("conclusion", to: count.conclusion)
            samples.append(Sample(GitHubSource.workflowRuns, runLabels, kind: .event, at: count.day, value: Double(count.count)))
        }
        for day in WorkflowRunFigures.successRatios(runs, days: days) {
            samples.append(
                Sample(
                    GitHubSource.workflowSuccessRatio, labels.setting("workflow", to: day.workflow), kind: .gauge, unit: .ratio, at: day.day,
                    value: day.ratio))
        }
        let durations = WorkflowRunFigures.durations(runs, from: from, to: to)
        for workflow in Set(durations.map(\.workflow)).sorted() {
            let observations = durations.filter { $0.workflow == workflow }.map(\.observation)
            samples += observed(GitHubSource.workflowDuration, .seconds, observations, labels: labels.setting("workflow", to: workflow))
        }
        return samples
    }

    // MARK: Reading

    func path(_ tail: String) -> String { "repos/\(repo)/\(tail)" }

    /// Open pull requests, and closed ones updated since `since` (newest update first, so paging stops at the first older
    /// one); with the reviews of each updated since then and the size of each merged in `[mergedFrom, to)`.
    func pullRequests(updatedSince since: Timestamp, mergedFrom: Timestamp, to: Timestamp) async throws -> [PullRequestRecord] {
        let open = try await client.list(
            client.url(path("pulls"), query: [("state", "open"), ("per_page", "100")]), as: GitHubRecords.PullRequest.self)
        let closed = try await client.list(
            client.url(path("pulls"), query: [("state", "closed"), ("sort", "updated"), ("direction", "desc"), ("per_page", "100")]),
            as: GitHubRecords.PullRequest.self, more: { page in page.allSatisfy { $0.updatedAt >= since } }
        ).filter { $0.updatedAt >= since }
        var records: [PullRequestRecord] = []
        for pull in open + closed {
            var reviews: [(login: String?, at: Timestamp)] = []
            if pull.updatedAt >= since {
                let url = client.url(path("pulls/\(pull.number)/reviews"), query: [("per_page", "100")])
                reviews = try await client.list(url, as: GitHubRecords.Review.self).compactMap { review in
                    review.submittedAt.map { (review.user?.login, $0) }
                }
            }
            var lines: Int?
            if let merged = pull.mergedAt, mergedFrom <= merged, merged < to {
                let size = try await client.object(client.url(path("pulls/\(pull.number)")), as: GitHubRecords.PullRequestSize.self)
                lines = size.additions + size.deletions
            }
            records.append(
                PullRequestRecord(
                    number: pull.number, author: pull.user?.login, createdAt: pull.createdAt, updatedAt: pull.updatedAt, mergedAt: pull.mergedAt,
                    isOpen: pull.state == "open", reviews: reviews, lines: lines, title: pull.title, url: pull.htmlURL))
        }
        return records
    }

    /// A deployment as read, before its changes are known: a deployment of the production environment, or a run of a
    /// deploy workflow.
    struct Deployed {
        let id: Int
        let sha: String
        let createdAt: Timestamp
        let outcome: DeploymentRecord.Outcome?
        let endedAt: Timestamp?
    }

    /// Production deployments created since `since` (from the Deployments API, or the runs of ``deployWorkflows`` when
    /// set), and the newest successful one created before it when the pages read hold one; each with its outcome and, for
    /// successful ones that ended from `changesFrom` on (the ones whose lead times a run writes), the changes it shipped.
    func deployments(since: Timestamp, changesFrom: Timestamp) async throws -> [DeploymentRecord] {
        let read = try await deployWorkflows.isEmpty ? apiDeployments(since: since) : workflowDeployments(since: since)
        let successes = read.filter { $0.outcome == .success }.sorted { ($0.endedAt!, $0.id) < ($1.endedAt!, $1.id) }
        var changes: [Int: [Timestamp]] = [:]
        for (previous, current) in zip(successes, successes.dropFirst()) where current.endedAt! >= changesFrom {
            changes[current.id] = try await commits(from: previous.sha, to: current.sha)
        }
        return read.filter { $0.createdAt >= since || $0.outcome == .success }.map { entry in
            DeploymentRecord(id: entry.id, sha: entry.sha, outcome: entry.outcome, finishedAt: entry.endedAt, changes: changes[entry.id])
        }
    }

    /// Deployments to ``productionEnvironment`` (GitHub lists the newest first) with their statuses.
    func apiDeployments(since: Timestamp) async throws -> [Deployed] {
        let url = client.url(path("deployments"), query: [("environment", productionEnvironment), ("per_page", "100")])
        let listed = try await client.list(url, as: GitHubRecords.Deployment.self, more: { page in page.allSatisfy { $0.createdAt >= since } })
            .filter { $0.environment == productionEnvironment }
        var read: [Deployed] = []
        for deployment in listed.sorted(by: { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }) {
            let statuses = try await client.list(
                client.url(path("deployments/\(deployment.id)/statuses"), query: [("per_page", "100")]), as: GitHubRecords.DeploymentStatus.self)
            let outcome = DeploymentRecord.outcome(of: statuses.map { ($0.state, $0.createdAt) })
            read.append(Deployed(id: deployment.id, sha: deployment.sha, createdAt: deployment.createdAt, outcome: outcome?.0, endedAt: outcome?.1))
            // Older than the window: only the first successful one is needed, as the base of the next one's changes.
            if deployment.createdAt < since, outcome?.0 == .success { break }
        }
        return read
    }

    /// Completed runs of the deploy workflows (newest first), as deployments of their `head_sha`: `success` succeeded,
    /// `failure`, `timed_out` and `startup_failure` failed, ending at `updated_at`; cancelled and skipped runs deployed
    /// nothing. Paging stops once a page reaches before `since` and a successful run before it was found.
    func workflowDeployments(since: Timestamp) async throws -> [Deployed] {
        var read: [Deployed] = []
        for workflow in deployWorkflows {
            var next: URL? = client.url(path("actions/workflows/\(workflow)/runs"), query: [("status", "completed"), ("per_page", "100")])
            var foundBase = false
            while let url = next, !foundBase {
                let page = try await client.page(url, as: GitHubRecords.WorkflowRuns.self)
                for run in page.value.workflowRuns {
                    let outcome: DeploymentRecord.Outcome? =
                        switch run.conclusion {
                        case "success": .success
                        case "failure", "timed_out", "startup_failure": .failure
                        default: nil
                        }
                    guard let outcome else { continue }
                    read.append(Deployed(id: run.id, sha: run.headSha, createdAt: run.createdAt, outcome: outcome, endedAt: run.updatedAt))
                    if run.createdAt < since, outcome == .success { foundBase = true }
                }
                next = page.next
            }
        }
        return read
    }

    /// The commit times of the commits in `head` and not in `base`; none for the same commit or a rollback to an older one.
    func commits(from base: String, to head: String) async throws -> [Timestamp] {
        guard base != head else { return [] }
        var times: [Timestamp] = []
        var next: URL? = client.url(path("compare/\(base)...\(head)"), query: [("per_page", "100")])
        while let url = next {
            let page = try await client.page(url, as: GitHubRecords.Comparison.self)
            let comparison = page.value
            guard comparison.status == "ahead" || comparison.status == "diverged" else { return [] }
            times += comparison.commits.compactMap(\.time)
            next = page.next
        }
        return times
    }

    /// The most results the runs list gives for one query, whatever its `total_count` says.
    public static let runsCap = 1000

    /// Completed workflow runs created in `[from, to]`, each once. One query lists at most ``runsCap`` runs, so a range
    /// whose `total_count` is larger is read as two halves (whole seconds, both ends inclusive, as the `created` qualifier
    /// takes them), recursively, down to a single second.
    func workflowRuns(from: Timestamp, to: Timestamp) async throws -> [WorkflowRunRecord] {
        var byID: [Int: GitHubRecords.WorkflowRun] = [:]
        try await readRuns(from: from.milliseconds / 1000, to: to.milliseconds / 1000, into: &byID)
        return byID.values.sorted { $0.id < $1.id }.compactMap { run in
            guard let conclusion = run.conclusion else { return nil }
            return WorkflowRunRecord(
                id: run.id, workflow: run.name ?? "workflow \(run.workflowId)", conclusion: conclusion, createdAt: run.createdAt,
                startedAt: run.runStartedAt ?? run.createdAt, endedAt: run.updatedAt)
        }
    }

    private func readRuns(from: Int64, to: Int64, into byID: inout [Int: GitHubRecords.WorkflowRun]) async throws {
        let range = "\(RFC3339.format(Timestamp(seconds: from)))..\(RFC3339.format(Timestamp(seconds: to)))"
        var next: URL? = client.url(path("actions/runs"), query: [("status", "completed"), ("created", range), ("per_page", "100")])
        var first = true
        while let url = next {
            let page = try await client.page(url, as: GitHubRecords.WorkflowRuns.self)
            let runs = page.value
            if first, runs.totalCount > Self.runsCap, to > from {
                let middle = from + (to - from) / 2
                try await readRuns(from: from, to: middle, into: &byID)
                try await readRuns(from: middle + 1, to: to, into: &byID)
                return
            }
            first = false
            for run in runs.workflowRuns { byID[run.id] = run }
            next = page.next
        }
    }

    /// Issues (not pull requests) updated since `since`.
    func issues(updatedSince since: Timestamp) async throws -> [IssueRecord] {
        let url = client.url(path("issues"), query: [("state", "all"), ("since", RFC3339.format(since)), ("per_page", "100")])
        return try await client.list(url, as: GitHubRecords.Issue.self).filter { $0.pullRequest == nil }.map(Self.record)
    }

    /// Open issues (not pull requests) with any of the bug labels, each once.
    func openBugs() async throws -> Int {
        var issues: [IssueRecord] = []
        for label in bugLabels {
            let url = client.url(path("issues"), query: [("state", "open"), ("labels", label), ("per_page", "100")])
            issues += try await client.list(url, as: GitHubRecords.Issue.self).filter { $0.pullRequest == nil }.map(Self.record)
        }
        return IssueFigures.bugsOpen(issues, bugLabels: bugLabels)
    }

    static func record(_ issue: GitHubRecords.Issue) -> IssueRecord {
        IssueRecord(
            number: issue.number, createdAt: issue.createdAt, closedAt: issue.closedAt, isOpen: issue.state == "open",
            labels: issue.labels.compactMap(\.name))
    }

    /// Open code-scanning alerts; nil when the repository has none to give: GitHub answers 404 (no analysis, code scanning
    /// not set up) or 403 (GitHub Advanced Security off, or a token without `security_events`), which the run notes and
    /// otherwise passes over, so a repository without code scanning still gets its other metrics.
    func codeScanningAlerts() async throws -> [GitHubRecords.CodeScanningAlert]? {
        let url = client.url(path("code-scanning/alerts"), query: [("state", "open"), ("per_page", "100")])
        do {
            return try await client.list(url, as: GitHubRecords.CodeScanningAlert.self)
        } catch let error as HTTPError where error.status == 404 {
            client.api.notice("\(error); no \(GitHubSource.codeScanningAlerts) written")
            return nil
        } catch let error as GitHubError where error.status == 403 {
            client.api.notice("\(error); no \(GitHubSource.codeScanningAlerts) written")
            return nil
        }
    }

    /// Issues (not pull requests) with any of the incident labels, updated since `since`.
    func incidents(updatedSince since: Timestamp) async throws -> [IncidentRecord] {
        var byNumber: [Int: IncidentRecord] = [:]
        for label in incidentLabels {
            let url = client.url(
                path("issues"), query: [("labels", label), ("state", "all"), ("since", RFC3339.format(since)), ("per_page", "100")])
            for issue in try await client.list(url, as: GitHubRecords.Issue.self) where issue.pullRequest == nil {
                byNumber[issue.number] = IncidentRecord(number: issue.number, openedAt: issue.createdAt, resolvedAt: issue.closedAt)
            }
        }
        return byNumber.values.sorted { $0.number < $1.number }
    }
}
