import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

@Suite("improvement tasks as GitHub issues")
struct GitHubIssueNotifierTests {
    static let token = "ghp_TESTTOKEN0123456789"

    func notifier(_ server: LoopbackHTTPServer, labels: [String] = ["vitals", "quality"]) -> GitHubIssueNotifier {
        GitHubIssueNotifier(
            channel: "tasks", config: GitHubIssueChannelConfig(repo: "acme/shop", tokenEnv: "GH_TOKEN", labels: labels, baseURL: server.baseURL),
            context: NotifierContext(environment: ["GH_TOKEN": Self.token], now: { Date(timeIntervalSince1970: 1_795_939_200) }))
    }

    @Test("firing opens one issue with the marker; a second vitals finds it; escalation comments; resolve comments and closes")
    func lifecycle() async throws {
        let github = FakeGitHub(token: Self.token)
        let server = try LoopbackHTTPServer { github.handle($0) }
        #expect(await notifier(server).deliver(Messages.alert(.firing)) == .delivered(status: nil))
        // A restart, or a second vitals, with the same alert: no second issue.
        #expect(await notifier(server).deliver(Messages.alert(.firing, id: 2)) == .delivered(status: nil))
        #expect(await notifier(server).deliver(Messages.alert(.reminder, id: 3)) == .delivered(status: nil))
        #expect(github.issues.count == 1)
        let issue = try #require(github.issues.first)
        #expect(issue.title == "CoverageLow: Line coverage fell to 61% <below 70%> & falling")
        #expect(issue.labels == ["vitals", "quality"])
        #expect(issue.body.contains("**Firing: CoverageLow (warning)**"))
        let marker = try #require(issue.body.firstRange(of: /<!-- vitals:fingerprint=[0-9a-f]{64} -->/))
        #expect(!issue.body[marker].isEmpty)

        #expect(await notifier(server).deliver(Messages.alert(.escalated, severity: .critical, id: 4)) == .delivered(status: nil))
        try #require(github.issues[0].comments.count == 1)
        #expect(github.issues[0].comments[0].contains("**Escalated: CoverageLow (critical)**"))
        #expect(await notifier(server).deliver(Messages.alert(.resolved, id: 5)) == .delivered(status: nil))
        #expect(github.issues[0].state == "closed")
        #expect(github.issues[0].stateReason == "completed")
        try #require(github.issues[0].comments.count == 2)
        #expect(github.issues[0].comments[1].contains("**Resolved: CoverageLow (warning)**"))
        // A resolve delivered again finds no open issue: nothing more happens.
        #expect(await notifier(server).deliver(Messages.alert(.resolved, id: 5)) == .delivered(status: nil))
        #expect(github.issues[0].comments.count == 2)

        // Firing again after the resolve opens a new issue; another alert instance has its own.
        _ = await notifier(server).deliver(Messages.alert(.firing, id: 6))
        _ = await notifier(server).deliver(Messages.alert(.firing, id: 7, labels: ["repo": "acme/other"]))
        #expect(github.issues.map(\.state) == ["closed", "open", "open"])
        let methods = server.requests.map { "\($0.method) \($0.path)" }
        #expect(methods.filter { $0 == "POST /repos/acme/shop/issues" }.count == 3)
    }

    @Test("the marker is found past the first page of open issues; pull requests and other issues are skipped")
    func pagination() async throws {
        let github = FakeGitHub(token: Self.token)
        for number in 1...150 {
            github.add(
                .init(number: number, title: "other \(number)", body: "no marker", labels: ["vitals"], isPullRequest: number.isMultiple(of: 7)))
        }
        let server = try LoopbackHTTPServer { github.handle($0) }
        _ = await notifier(server, labels: ["vitals"]).deliver(Messages.alert(.firing))
        #expect(github.issues.count == 151)
        _ = await notifier(server, labels: ["vitals"]).deliver(Messages.alert(.resolved))
        #expect(github.issues[150].state == "closed")
        #expect(github.issues.prefix(150).allSatisfy { $0.state == "open" && $0.comments.isEmpty })
        let listings = server.requests.filter { $0.method == "GET" }.map(\.target)
        #expect(listings.contains { $0.contains("page=2") })
        #expect(listings.allSatisfy { $0.contains("state=open") && $0.contains("per_page=100") && $0.contains("labels=vitals") })
    }

    @Test("404, 401 and 422 are rejected with GitHub's message; a rate limit and 5xx are retried")
    func errors() async throws {
        let missing = try LoopbackHTTPServer { _ in FakeGitHub.json(404, ["message": "Not Found"]) }
        #expect(
            await notifier(missing).deliver(Messages.alert())
                == .reject(DeliveryFailure(status: 404, "GitHub GET /repos/acme/shop/issues: HTTP 404: Not Found")))
        let github = FakeGitHub(token: "another-token")
        let unauthorised = try LoopbackHTTPServer { github.handle($0) }
        guard case .reject(let failure) = await notifier(unauthorised).deliver(Messages.alert()) else {
            Issue.record("401 not rejected")
            return
        }
        #expect(failure.status == 401 && failure.message.hasSuffix("Bad credentials"))
        let invalid = try LoopbackHTTPServer { request in
            request.method == "GET"
                ? FakeGitHub.json(200, [Any]())
                : FakeGitHub.json(422, ["message": "Validation Failed", "errors": [["code": "invalid", "message": "label is too long"]]])
        }
        #expect(
            await notifier(invalid).deliver(Messages.alert())
                == .reject(DeliveryFailure(status: 422, "GitHub POST /repos/acme/shop/issues: HTTP 422: Validation Failed (label is too long)")))
        let limited = try LoopbackHTTPServer { _ in
            FakeGitHub.json(
                403, ["message": "API rate limit exceeded"], headers: [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1795939500")])
        }
        guard case .retry(_, let wait) = await notifier(limited).deliver(Messages.alert()) else {
            Issue.record("a rate limit is not retried")
            return
        }
        #expect(wait == .seconds(300))
        let forbidden = try LoopbackHTTPServer { _ in FakeGitHub.json(403, ["message": "Resource not accessible by integration"]) }
        guard case .reject = await notifier(forbidden).deliver(Messages.alert()) else {
            Issue.record("a plain 403 is not rejected")
            return
        }
        let failing = try LoopbackHTTPServer { _ in .init(status: 502, text: "bad gateway") }
        guard case .retry = await notifier(failing).deliver(Messages.alert()) else {
            Issue.record("502 is not retried")
            return
        }
        guard case .reject = await notifier(failing).deliver(Messages.report()) else {
            Issue.record("a report is not rejected")
            return
        }
    }
}
