import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsHTTP
import VitalsTestSupport

/// The github source against a fake GitHub on 127.0.0.1: what it reads and writes, rate limits, conditional requests and
/// hostile answers, each a failure of this source only, and the token in no output.
@Suite struct GitHubCollectorTests {
    static let token = "ghp_FAKEtoken0123456789abcdefABCDEF012345"
    static func t(_ text: String) -> Timestamp { RFC3339.parse("2026-\(text):00Z")! }
    let now = t("03-07T12:00")

    /// Waits asked for, instead of sleeping.
    final class Waits: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Duration] = []
        private var told: [String] = []
        var all: [Duration] { lock.withLock { recorded } }
        var notices: [String] { lock.withLock { told } }
        func record(_ wait: Duration) { lock.withLock { recorded.append(wait) } }
        func notice(_ text: String) { lock.withLock { told.append(text) } }
    }

    func client(
        _ github: FakeGitHub, waits: Waits, now: Date = Date(timeIntervalSince1970: 1_772_599_970), transport: CurlTransport = CurlTransport()
    ) -> GitHubClient {
        client(github.baseURL, waits: waits, now: now, transport: transport)
    }

    func client(
        _ baseURL: URL, waits: Waits, now: Date = Date(timeIntervalSince1970: 1_772_599_970), transport: CurlTransport = CurlTransport()
    ) -> GitHubClient {
        let http = HTTPClient(transport: transport, retry: RetryPolicy(maxAttempts: 2, jitter: { $0 }), sleep: { waits.record($0) })
        return GitHubClient(baseURL: baseURL, token: Self.token, http: http, sleep: { waits.record($0) }, now: { now }, notice: { waits.notice($0) })
    }

    /// The repository of the DORA and pull-request fixtures, over the API: deployments 8 (failed), 9 (successful, before the
    /// window: the base of 10's changes), 10, 11 (failed), 12; an incident; pull requests across pages.
    func repository() throws -> FakeGitHub {
        let github = try FakeGitHub()
        let repo = "repos/o/r/"
        github.list(
            repo + "pulls",
            [
                GitHubJSON.pull(5, by: "bo", created: "2026-03-06T00:00:00Z", updated: "2026-03-06T10:00:00Z", state: "open"),
                GitHubJSON.pull(4, by: "ana", created: "2026-02-01T00:00:00Z", updated: "2026-02-20T00:00:00Z", state: "open"),
            ])
        github.list(
            repo + "deployments",
            [
                GitHubJSON.deployment(12, sha: "e6", created: "2026-03-05T08:00:00Z"),
                GitHubJSON.deployment(11, sha: "c3", created: "2026-03-03T11:00:00Z"),
                GitHubJSON.deployment(10, sha: "b2", created: "2026-03-02T09:30:00Z"),
                GitHubJSON.deployment(9, sha: "a1", created: "2026-02-27T11:00:00Z"),
                GitHubJSON.deployment(8, sha: "a0", created: "2026-02-20T11:00:00Z"),
            ])
        github.list(
            repo + "deployments/12/statuses",
            [
                GitHubJSON.status("success", at: "2026-03-05T09:00:00Z"), GitHubJSON.status("in_progress", at: "2026-03-05T08:30:00Z"),
            ])
        github.list(repo + "deployments/11/statuses", [GitHubJSON.status("failure", at: "2026-03-03T12:00:00Z")])
        github.list(
            repo + "deployments/10/statuses",
            [
                GitHubJSON.status("inactive", at: "2026-03-05T09:00:00Z"), GitHubJSON.status("success", at: "2026-03-02T10:00:00Z"),
            ])
        github.list(repo + "deployments/9/statuses", [GitHubJSON.status("success", at: "2026-02-27T12:00:00Z")])
        github.list(repo + "deployments/8/statuses", [GitHubJSON.status("failure", at: "2026-02-20T12:00:00Z")])
        github.object(
            repo + "compare/a1...b2",
            GitHubJSON.comparison("ahead", commitDates: ["2026-02-20T10:00:00Z", "2026-03-01T10:00:00Z", "2026-03-02T11:00:00Z"]))
        github.object(repo + "compare/b2...e6", GitHubJSON.comparison("ahead", commitDates: ["2026-03-04T09:00:00Z"]))
        github.list(
            repo + "issues",
            [
                GitHubJSON.issue(30, created: "2026-03-05T12:00:00Z", closed: "2026-03-05T18:00:00Z", labels: ["incident"]),
                GitHubJSON.issue(31, created: "2026-03-05T13:00:00Z", labels: ["incident"], pullRequest: true),
                GitHubJSON.issue(32, created: "2026-03-06T09:00:00Z", labels: ["bug"]),
                GitHubJSON.issue(33, created: "2026-03-02T09:00:00Z", labels: ["Bug", "ui"]),
                GitHubJSON.issue(34, created: "2026-03-02T10:00:00Z", closed: "2026-03-03T10:00:00Z", labels: ["bug"]),
            ])
        github.list(
            repo + "code-scanning/alerts",
            [
                GitHubJSON.alert(1, securitySeverity: "high", severity: "error"), GitHubJSON.alert(2, securitySeverity: nil, severity: "warning"),
                GitHubJSON.alert(3, securitySeverity: "high", severity: "error"),
                GitHubJSON.alert(4, securitySeverity: "critical", severity: "error"),
            ])
        github.object(repo + "pulls/2", ["number": 2, "additions": 100, "deletions": 20])
        github.object(repo + "pulls/3", ["number": 3, "additions": 5, "deletions": 0])
        github.list(
            repo + "pulls/2/reviews",
            [
                GitHubJSON.review(by: "ana", submitted: "2026-03-01T10:00:00Z", state: "COMMENTED"),
                GitHubJSON.review(by: "bo", submitted: "2026-03-01T12:00:00Z"), GitHubJSON.review(by: "cy", submitted: nil, state: "PENDING"),
            ])
        github.list(repo + "pulls/3/reviews", [])
        github.list(repo + "pulls/4/reviews", [])
        github.list(repo + "pulls/5/reviews", [GitHubJSON.review(by: "bo", submitted: "2026-03-06T10:00:00Z")])
        github.object(
            repo + "actions/runs",
            [
                "total_count": 4,
                "workflow_runs": [
                    GitHubJSON.run(
                        104, workflow: "Lint", conclusion: "success", created: "2026-03-05T09:00:00Z", started: "2026-03-05T09:00:00Z",
                        updated: "2026-03-05T09:02:00Z"),
                    GitHubJSON.run(
                        103, workflow: "CI", conclusion: "cancelled", created: "2026-03-04T11:00:00Z", started: "2026-03-04T11:00:00Z",
                        updated: "2026-03-04T11:01:00Z"),
                    GitHubJSON.run(
                        102, workflow: "CI", conclusion: "failure", created: "2026-03-04T10:10:00Z", started: "2026-03-04T10:10:00Z",
                        updated: "2026-03-04T10:30:00Z"),
                    GitHubJSON.run(
                        101, workflow: "CI", conclusion: "success", created: "2026-03-04T10:00:00Z", started: "2026-03-04T10:00:00Z",
                        updated: "2026-03-04T10:05:00Z"),
                ],
            ])
        return github
    }

    func collector(_ github: FakeGitHub, waits: Waits) -> GitHubCollector {
        GitHubCollector(repo: "o/r", client: client(github, waits: waits))
    }

    @Test func collectsVelocityAndDoraAsDeclared() async throws {
        let github = try repository()
        let waits = Waits()
        // Closed pull requests, newest update first: #2 and #3 merged in the window, #1 merged before it, #6 unmerged, #0
        // updated before the window (paging stops at its page).
        let closed = [
            GitHubJSON.pull(3, by: "bo", created: "2026-03-03T00:00:00Z", updated: "2026-03-03T06:00:00Z", merged: "2026-03-03T06:00:00Z"),
            GitHubJSON.pull(6, by: "ana", created: "2026-03-02T00:00:00Z", updated: "2026-03-03T00:00:00Z", closed: "2026-03-03T00:00:00Z"),
            GitHubJSON.pull(2, by: "ana", created: "2026-03-01T09:00:00Z", updated: "2026-03-02T09:00:00Z", merged: "2026-03-02T09:00:00Z"),
            GitHubJSON.pull(1, by: "ana", created: "2026-02-20T00:00:00Z", updated: "2026-03-02T00:00:00Z", merged: "2026-02-28T00:00:00Z"),
            GitHubJSON.pull(0, by: "ana", created: "2026-01-20T00:00:00Z", updated: "2026-01-21T00:00:00Z", merged: "2026-01-21T00:00:00Z"),
            GitHubJSON.pull(-1, by: "ana", created: "2026-01-10T00:00:00Z", updated: "2026-01-11T00:00:00Z", merged: "2026-01-11T00:00:00Z"),
            GitHubJSON.pull(-2, by: "ana", created: "2026-01-09T00:00:00Z", updated: "2026-01-10T00:00:00Z", merged: "2026-01-10T00:00:00Z"),
        ]
        github.list("repos/o/r/pulls", closed)
        let open = [
            GitHubJSON.pull(5, by: "bo", created: "2026-03-06T00:00:00Z", updated: "2026-03-06T10:00:00Z", state: "open"),
            GitHubJSON.pull(4, by: "ana", created: "2026-02-01T00:00:00Z", updated: "2026-02-20T00:00:00Z", state: "open"),
        ]
        github.queue(
            "repos/o/r/pulls",
            LoopbackHTTPServer.Response(headers: [("Content-Type", "application/json")], body: try JSONSerialization.data(withJSONObject: open)))
        github.list("repos/o/r/pulls/1/reviews", [])
        github.list("repos/o/r/pulls/6/reviews", [])
        let request = CollectionRequest(now: now, timeZone: .gmt, since: Self.t("03-01T00:00"))

        let samples = SeriesIdentity.labelled(try await collector(github, waits: waits).collect(request), source: "github")

        func values(_ name: String) -> [Double] { samples.filter { $0.series.key.name == name }.map(\.value) }
        #expect(values("github_prs_merged") == [0, 1, 1, 0, 0, 0, 0])
        #expect(values("github_pr_cycle_seconds") == [86_400, 21_600])
        #expect(values("github_pr_first_review_seconds") == [10_800])
        #expect(values("github_pr_size_lines") == [120, 5])
        #expect(values("github_prs_open") == [2])
        #expect(values("github_prs_stale") == [1])
        // The stale one by itself: #4, not updated since 02-20 00:00, 15 days 12 hours before the collection.
        let stale = samples.filter { $0.series.key.name == "github_pr_stale_seconds" }
        #expect(stale.map(\.value) == [1_339_200])
        #expect(
            stale.first?.series.key.labels
                == ["repo": "o/r", "source": "github", "number": "4", "title": "Change 4", "url": "https://github.com/o/r/pull/4"])
        #expect(stale.allSatisfy { $0.timestamp == now })
        #expect(values("dora_deployments") == [0, 1, 0, 0, 1, 0, 0])
        // Deployment 10: 10 days and 1 day (the commit dated after the deploy is discarded); 12: 1 day.
        #expect(values("dora_lead_time_seconds") == [864_000, 86_400, 86_400])
        // The store keeps one value per series and instant: the two changes of deployment 10 are written 1 ms apart.
        let leadTimeInstants = samples.filter { $0.series.key.name == "dora_lead_time_seconds" }.map(\.timestamp)
        #expect(leadTimeInstants == [Self.t("03-02T10:00"), Self.t("03-02T10:00").adding(TimeSpan(milliseconds: 1)), Self.t("03-05T09:00")])
        // Within 30 days: 8 (failed), 9, 10, 11 (failed), 12 (incident #30): 3 of 5. #31 is a pull request, not an incident.
        #expect(values("dora_change_failures") == [3])
        #expect(values("dora_deployments_ended") == [5])
        #expect(values("dora_change_failure_ratio") == [0.6])
        // The failure of 11 (03-03 12:00) recovered by 12 (03-05 09:00): 45 hours; incident #30: 6 hours. The recovery of 8
        // by 9 was before the window.
        #expect(values("dora_recovery_seconds") == [162_000, 21_600])
        // 03-04: CI cancelled, failure, success; 03-05: Lint success. CI's ratio leaves the cancelled run out: 1 of 2.
        #expect(values("github_workflow_runs") == [1, 1, 1, 1])
        #expect(
            samples.filter { $0.series.key.name == "github_workflow_runs" }.map { $0.series.key.labels["conclusion"] ?? "" } == [
                "cancelled", "failure", "success", "success",
            ])
        #expect(values("github_workflow_success_ratio") == [0.5, 1])
        #expect(values("github_workflow_duration_seconds") == [300, 1_200, 60, 120])
        // Issues #33, #34 opened 03-02, #30 03-05, #32 03-06 (#31 is a pull request); #34 closed 03-03, #30 03-05; open bugs
        // #32 and #33 (`Bug`).
        #expect(values("github_issues_opened") == [0, 2, 0, 0, 1, 1, 0])
        #expect(values("github_issues_closed") == [0, 0, 1, 0, 1, 0, 0])
        #expect(values("github_bugs_open") == [2])
        #expect(values("github_code_scanning_alerts_open") == [1, 2, 0, 0, 1])
        #expect(
            samples.filter { $0.series.key.name == "github_code_scanning_alerts_open" }.map { $0.series.key.labels["severity"] ?? "" } == [
                "critical", "high", "medium", "low", "warning",
            ])
        #expect(DeclaredSamples.mismatches(samples, of: GitHubSource.definition) == [])
        // Paging stopped at the page holding the first pull request updated before the window.
        let closedPages = github.requests.filter { $0.path == "/repos/o/r/pulls" && $0.target.contains("state=closed") }
        #expect(closedPages.count == 3)
        #expect(github.requests.allSatisfy { $0.header("Authorization") == "Bearer \(Self.token)" })
        #expect(github.requests.allSatisfy { $0.header("X-GitHub-Api-Version") == "2022-11-28" })
        #expect(waits.all.isEmpty)
        // Changes are read only for the deployments whose lead times this run writes (those ending from 03-01 on).
        #expect(
            github.requests.filter { $0.path.hasPrefix("/repos/o/r/compare/") }.map(\.path) == [
                "/repos/o/r/compare/a1...b2", "/repos/o/r/compare/b2...e6",
            ])
    }

    /// 2,500 runs over 10 days: the list gives at most 1,000 per query, so the collector halves the `created` range until
    /// each part fits, and counts every run once.
    @Test func theRunsCapIsHandledBySplittingTheCreatedRange() async throws {
        let github = try FakeGitHub()
        for empty in ["pulls", "deployments", "issues"] { github.list("repos/o/r/" + empty, []) }
        let start = Self.t("02-26T00:00").milliseconds / 1000
        let runs = (0..<2_500).map { index -> [String: Any] in
            let created = RFC3339.format(Timestamp(seconds: start + Int64(index) * 345))
            return GitHubJSON.run(
                index + 1, workflow: "CI", conclusion: index % 5 == 0 ? "failure" : "success", created: created, started: created, updated: created)
        }
        let createdSeconds = runs.map { RFC3339.parse($0["created_at"] as! String)!.milliseconds / 1000 }
        let json = try JSONSerialization.data(withJSONObject: runs)
        github.handle("repos/o/r/actions/runs") { request, base in
            let all = try! JSONSerialization.jsonObject(with: json) as! [Any]
            let query = URLComponents(string: request.target)?.queryItems ?? []
            let bounds = (query.first { $0.name == "created" }?.value ?? "").components(separatedBy: "..").map {
                RFC3339.parse($0)!.milliseconds / 1000
            }
            let matching = zip(all, createdSeconds).filter { bounds[0] <= $0.1 && $0.1 <= bounds[1] }.map(\.0)
            let perPage = Int(query.first { $0.name == "per_page" }?.value ?? "30")!
            let page = Int(query.first { $0.name == "page" }?.value ?? "1")!
            let available = Array(matching.prefix(1_000))
            let slice = Array(available.dropFirst((page - 1) * perPage).prefix(perPage))
            var headers = [("Content-Type", "application/json")]
            if page * perPage < available.count {
                var components = URLComponents(url: base.appendingPathComponent("repos/o/r/actions/runs"), resolvingAgainstBaseURL: false)!
                components.queryItems = query.filter { $0.name != "page" } + [URLQueryItem(name: "page", value: "\(page + 1)")]
                headers.append(("Link", "<\(components.url!.absoluteString)>; rel=\"next\""))
            }
            let body = try! JSONSerialization.data(withJSONObject: ["total_count": matching.count, "workflow_runs": slice])
            return LoopbackHTTPServer.Response(headers: headers, body: body)
        }
        let request = CollectionRequest(now: Self.t("03-08T00:00"), timeZone: .gmt, since: Self.t("02-26T00:00"))

        let samples = try await collector(github, waits: Waits()).collect(request)

        let counted = samples.filter { $0.series.key.name == "github_workflow_runs" }
        #expect(counted.map(\.value).reduce(0, +) == 2_500)
        #expect(counted.filter { $0.series.key.labels["conclusion"] == "failure" }.map(\.value).reduce(0, +) == 500)
        let queries = github.requests.filter { $0.path == "/repos/o/r/actions/runs" && !$0.target.contains("&page=") }
        #expect(queries.count > 3, "the range was split")
    }

    /// `deploy_workflows`: the runs of `deploy.yml` are the deployments (the same history as the Deployments fixture, with a
    /// cancelled run that deployed nothing), and give the same DORA figures.
    @Test func deploymentsFromDeployWorkflowRuns() async throws {
        let github = try repository()
        github.list("repos/o/r/pulls", [])
        github.list("repos/o/r/deployments", [])
        func run(_ id: Int, _ conclusion: String, _ created: String, _ ended: String, _ sha: String) -> [String: Any] {
            GitHubJSON.run(id, workflow: "Deploy", conclusion: conclusion, created: created, started: created, updated: ended, sha: sha)
        }
        github.object(
            "repos/o/r/actions/workflows/deploy.yml/runs",
            [
                "total_count": 6,
                "workflow_runs": [
                    run(205, "success", "2026-03-05T08:00:00Z", "2026-03-05T09:00:00Z", "e6"),
                    run(204, "cancelled", "2026-03-04T08:00:00Z", "2026-03-04T08:01:00Z", "d4"),
                    run(203, "failure", "2026-03-03T11:00:00Z", "2026-03-03T12:00:00Z", "c3"),
                    run(202, "success", "2026-03-02T09:30:00Z", "2026-03-02T10:00:00Z", "b2"),
                    run(201, "success", "2026-02-27T11:00:00Z", "2026-02-27T12:00:00Z", "a1"),
                    // Before the range read: its changes to 201 are not needed, and `compare/a0...a1` is never asked for.
                    run(200, "success", "2026-02-20T11:00:00Z", "2026-02-20T12:00:00Z", "a0"),
                ],
            ])
        let collector = GitHubCollector(repo: "o/r", client: client(github, waits: Waits()), deployWorkflows: ["deploy.yml"])

        let samples = try await collector.collect(CollectionRequest(now: now, timeZone: .gmt, since: Self.t("03-01T00:00")))

        func values(_ name: String) -> [Double] { samples.filter { $0.series.key.name == name }.map(\.value) }
        #expect(values("dora_deployments") == [0, 1, 0, 0, 1, 0, 0])
        #expect(values("dora_lead_time_seconds") == [864_000, 86_400, 86_400])
        // 200, 201, 202, 203 (failed), 205 (incident #30): 2 of 5; the cancelled run is no deployment.
        #expect(values("dora_change_failure_ratio") == [0.4])
        #expect(values("dora_recovery_seconds") == [162_000, 21_600])
        #expect(!github.requests.contains { $0.path.hasPrefix("/repos/o/r/deployments") })
    }

    /// A repository without code scanning (GitHub answers 404) still gets its other metrics; the run says what it left out.
    @Test func noCodeScanningIsNoFailure() async throws {
        let github = try FakeGitHub()
        for empty in ["pulls", "deployments", "issues"] { github.list("repos/o/r/" + empty, []) }
        github.object("repos/o/r/actions/runs", ["total_count": 0, "workflow_runs": []])
        let waits = Waits()

        let samples = try await collector(github, waits: waits).collect(CollectionRequest(now: now, timeZone: .gmt, since: Self.t("03-06T00:00")))

        #expect(!samples.contains { $0.series.key.name == "github_code_scanning_alerts_open" })
        #expect(samples.contains { $0.series.key.name == "github_bugs_open" })
        #expect(waits.notices.count == 1)
        #expect(waits.notices.first?.contains("code-scanning/alerts: HTTP 404") == true, "\(waits.notices)")
        #expect(waits.notices.first?.hasSuffix("no github_code_scanning_alerts_open written") == true, "\(waits.notices)")
    }

    /// `x-ratelimit-remaining: 0`: the client waits until `x-ratelimit-reset` before its next request, and says so.
    @Test func waitsForThePrimaryRateLimitToReset() async throws {
        let github = try FakeGitHub(reset: 1_772_600_000)
        github.list("repos/o/r/issues", [GitHubJSON.issue(1, created: "2026-03-01T00:00:00Z", labels: [])])
        let headers = [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1772600000"), ("Content-Type", "application/json")]
        github.queue("repos/o/r/issues", LoopbackHTTPServer.Response(headers: headers, text: "[]"))
        let waits = Waits()
        let client = client(github, waits: waits, now: Date(timeIntervalSince1970: 1_772_599_970))

        _ = try await client.page(client.url("repos/o/r/issues"), as: [GitHubRecords.Issue].self)

        #expect(waits.all == [.seconds(30)])
        #expect(waits.notices.count == 1)
        #expect(waits.notices.first?.contains("pausing 30 s for GitHub's rate limit") == true, "\(waits.notices)")
    }

    /// A refused request (403, `x-ratelimit-remaining: 0`) is sent again after the reset.
    @Test func aRequestRefusedForThePrimaryLimitIsSentAgainAfterTheReset() async throws {
        let github = try FakeGitHub()
        github.list("repos/o/r/issues", [])
        github.queue(
            "repos/o/r/issues",
            LoopbackHTTPServer.Response(
                status: 403, headers: [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1772600010")],
                text: #"{"message":"API rate limit exceeded for user ID 1."}"#))
        let waits = Waits()
        let client = client(github, waits: waits, now: Date(timeIntervalSince1970: 1_772_600_000))

        let page = try await client.page(client.url("repos/o/r/issues"), as: [GitHubRecords.Issue].self)

        #expect(page.value.isEmpty)
        #expect(waits.all == [.seconds(10)])
        #expect(github.requests.count == 2)
    }

    /// A secondary limit (403 or 429 with `retry-after`) waits that long, then tries again.
    @Test(arguments: [403, 429])
    func waitsOutASecondaryLimit(status: Int) async throws {
        let github = try FakeGitHub()
        github.list("repos/o/r/issues", [])
        let message = #"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#
        github.queue("repos/o/r/issues", LoopbackHTTPServer.Response(status: status, headers: [("retry-after", "7")], text: message))
        let waits = Waits()
        let client = client(github, waits: waits)

        _ = try await client.page(client.url("repos/o/r/issues"), as: [GitHubRecords.Issue].self)

        #expect(waits.all == [.seconds(7)])
        #expect(github.requests.count == 2)
    }

    /// A secondary limit without `retry-after` (and requests left): a minute, as GitHub's documentation asks.
    @Test func aSecondaryLimitWithoutRetryAfterWaitsAMinute() async throws {
        let github = try FakeGitHub()
        github.list("repos/o/r/issues", [])
        let message = #"{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation."}"#
        github.queue("repos/o/r/issues", LoopbackHTTPServer.Response(status: 403, headers: [("x-ratelimit-remaining", "4000")], text: message))
        let waits = Waits()
        let client = client(github, waits: waits)

        _ = try await client.page(client.url("repos/o/r/issues"), as: [GitHubRecords.Issue].self)

        #expect(waits.all == [.seconds(60)])
        #expect(waits.notices.first?.contains("secondary rate limit") == true, "\(waits.notices)")
    }

    /// A 403 that is no rate limit (a token without access) fails at once with GitHub's message.
    @Test func aForbiddenAnswerFailsWithGitHubsMessage() async throws {
        let github = try FakeGitHub()
        github.queue(
            "repos/o/r/issues",
            LoopbackHTTPServer.Response(
                status: 403, headers: [("x-ratelimit-remaining", "4000")], text: #"{"message":"Resource not accessible by personal access token"}"#))
        let client = client(github, waits: Waits())

        do {
            _ = try await client.page(client.url("repos/o/r/issues"), as: [GitHubRecords.Issue].self)
            Issue.record("a 403 that is no rate limit was accepted")
        } catch let error as GitHubError {
            #expect(error.description.hasSuffix("/repos/o/r/issues: HTTP 403: Resource not accessible by personal access token"), "\(error)")
        }
    }

    /// A later run asks `If-None-Match` with the ETag kept in the store, and GitHub's 304 is answered from what was kept:
    /// the store is closed and opened again between the runs, so the ETag and the page survive a restart.
    @Test func aMatchingETagKeptInTheStoreGetsA304AfterARestart() async throws {
        let github = try FakeGitHub()
        github.list("repos/o/r/issues", [GitHubJSON.issue(1, created: "2026-03-01T00:00:00Z", labels: [])])
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("vitals.db").path
        let waits = Waits()
        let url = client(github, waits: waits).url("repos/o/r/issues")

        let first = try await client(github, waits: waits).keeping(
            CollectionState(store: try await SQLiteMetricStore(path: path, timeZone: .gmt, retention: .days(400)), source: "github", run: "first")
        ).page(url, as: [GitHubRecords.Issue].self)
        let reopened = try await SQLiteMetricStore(path: path, timeZone: .gmt, retention: .days(400))
        let second = try await client(github, waits: waits).keeping(CollectionState(store: reopened, source: "github", run: "second"))
            .page(url, as: [GitHubRecords.Issue].self)

        #expect(first.origin == .fetched)
        #expect(second.origin == .notModified)
        #expect(second.value == first.value)
        #expect(second.value.map(\.number) == [1])
        #expect(github.requests.count == 2)
        #expect(github.requests.first?.header("If-None-Match") == nil)
        let etag = try #require(github.requests.last?.header("If-None-Match"))
        #expect(etag.hasPrefix("\""))
        let kept = try await reopened.sourceState(of: "github", keysStartingWith: "collect.page.")
        #expect(kept.keys.sorted() == ["collect.page./repos/o/r/issues"])
        #expect(kept.values.first?.contains(etag.replacingOccurrences(of: "\"", with: "\\\"")) == true, "\(kept)")
    }

    /// A page the run being resumed already fetched (stamped with its id) is taken from the store without asking GitHub.
    @Test func aPageTheResumedRunFetchedIsNotAskedForAgain() async throws {
        let github = try FakeGitHub()
        github.list("repos/o/r/issues", [GitHubJSON.issue(1, created: "2026-03-01T00:00:00Z", labels: [])])
        let folder = try TemporaryFolder()
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent("vitals.db").path, timeZone: .gmt, retention: .days(400))
        let client = client(github, waits: Waits()).keeping(CollectionState(store: store, source: "github", run: "killed"))
        let url = client.url("repos/o/r/issues")

        let first = try await client.page(url, as: [GitHubRecords.Issue].self)
        let again = try await client.page(url, as: [GitHubRecords.Issue].self)

        #expect([first.origin, again.origin] == [.fetched, .resumed])
        #expect(again.value == first.value)
        #expect(github.requests.count == 1)
    }

    /// Hostile answers: each a failure of the github source with a message that says what was wrong, while a local source
    /// in the same run succeeds; and the token is in no output: errors, notices, the store file.
    @Test(arguments: [
        ("html", "the answer is not JSON"), ("truncated", "the answer is not JSON"), ("wrong type", "unexpected JSON at [0].number"),
        ("not found", "HTTP 404"), ("server error page", "HTTP 502 after 2 attempts"),
    ])
    func aHostileAnswerFailsOnlyThisSource(kind: String, expected: String) async throws {
        let github = try FakeGitHub()
        let html = "<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body>We had issues producing the response</body></html>"
        let json = [("Content-Type", "application/json")]
        switch kind {
        case "html": github.queue("repos/o/r/pulls", LoopbackHTTPServer.Response(headers: [("Content-Type", "text/html")], text: html))
        case "truncated": github.queue("repos/o/r/pulls", LoopbackHTTPServer.Response(headers: json, text: #"[{"number": 1, "state": "op"#))
        case "wrong type":
            github.queue(
                "repos/o/r/pulls",
                LoopbackHTTPServer.Response(
                    headers: json,
                    text: #"[{"number": "1", "state": "open", "created_at": "2026-03-01T00:00:00Z", "updated_at": "2026-03-01T00:00:00Z"}]"#))
        case "server error page":
            for _ in 0..<2 {
                github.queue("repos/o/r/pulls", LoopbackHTTPServer.Response(status: 502, headers: [("Content-Type", "text/html")], text: html))
            }
        default: break
        }
        let waits = Waits()

        let run = try await RunBesideALocalSource(collector(github, waits: waits), now: now)

        let outcomes = run.outcomes

        #expect(outcomes.map(\.status) == [.failed, .ok])
        let error = try #require(outcomes[0].error)
        #expect(error.hasPrefix("github: GET http://127.0.0.1:"), "\(error)")
        #expect(error.contains(expected), "\(error)")
        for output in outcomes.compactMap(\.error) + waits.notices + (try run.storeFiles()) {
            #expect(!output.contains(Self.token))
        }
    }

    /// A body over the size limit, and a server that never answers: each a failure of this source with what happened.
    @Test func anOversizedBodyOrNoAnswerFailsTheSource() async throws {
        let github = try FakeGitHub()
        let big = "[" + Array(repeating: #"{"number":1}"#, count: 500).joined(separator: ",") + "]"
        github.queue("repos/o/r/pulls", LoopbackHTTPServer.Response(headers: [("Content-Type", "application/json")], text: big))
        let small = CurlTransport(options: CurlTransport.Options(maxResponseBytes: 1_000))
        let oversized = GitHubCollector(repo: "o/r", client: client(github, waits: Waits(), transport: small))
        let silent = try LoopbackHTTPServer { _ in nil }
        defer { silent.stop() }
        let impatient = CurlTransport(options: CurlTransport.Options(timeout: .seconds(1)))
        let unanswered = GitHubCollector(repo: "o/r", client: client(silent.baseURL, waits: Waits(), transport: impatient))
        let request = CollectionRequest(now: now, timeZone: .gmt, since: Self.t("03-06T00:00"))

        for (collector, expected) in [(oversized, "larger than the 1000-byte limit"), (unanswered, "no complete answer within 1 s")] {
            do {
                _ = try await collector.collect(request)
                Issue.record("\(expected): collected")
            } catch let error as CollectorError {
                #expect(error.description.hasPrefix("github: GET http://127.0.0.1:"), "\(error)")
                #expect(error.description.contains(expected), "\(error)")
                #expect(!error.description.contains(Self.token))
            }
        }
    }

    /// `base_url` and `token_env` from the configuration: the token is read from the environment the collector is built with.
    @Test func theConfiguredSourceTalksToItsBaseURLWithTheTokenFromTheEnvironment() async throws {
        let github = try repository()
        github.list("repos/o/r/pulls", [])
        let config = try ConfigLoader.parse(
            "sources:\n  - type: github\n    repo: o/r\n    token_env: GH_TOKEN\n    base_url: \(github.baseURL.absoluteString)\n",
            file: "vitals.yml", environment: ["GH_TOKEN": Self.token], sourceTypes: SourceRegistry.types)
        let collector = SourceRegistry.collector(for: config.sources[0], root: URL(fileURLWithPath: "/"), environment: ["GH_TOKEN": Self.token])

        _ = try await collector.collect(CollectionRequest(now: now, timeZone: .gmt, since: Self.t("03-06T00:00")))

        #expect(!github.requests.isEmpty)
        #expect(github.requests.allSatisfy { $0.header("Authorization") == "Bearer \(Self.token)" })
    }
}
