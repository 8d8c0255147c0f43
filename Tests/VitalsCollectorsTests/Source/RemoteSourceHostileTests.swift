import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsHTTP
import VitalsTestSupport

/// Hostile answers to the sentry, linear and sonarqube sources: each a recorded failure of that source only, saying what
/// was wrong, while a local source in the same run succeeds; and the token in no error, notice, or store file.
@Suite struct RemoteSourceHostileTests {
    static let token = "FAKEsecret0123456789abcdefABCDEF0123456789"
    typealias Waits = GitHubCollectorTests.Waits

    /// One remote source type: its fake server, the path of its first request, and its collector on a base URL.
    struct Scenario: Sendable {
        let make: @Sendable () throws -> FakeAPI
        let firstPath: String
        let collector: @Sendable (URL, CurlTransport, Waits) -> any Collector
        /// A body of the first answer's shape with a value of the wrong type, and where the message says it is.
        let wrongType: (body: String, at: String)
        /// A refusal as the API words it, and the end of the message.
        let refusal: (status: Int, body: String, expected: String)
    }

    static func http(_ transport: CurlTransport, _ waits: Waits) -> RemoteAPI {
        let http = HTTPClient(transport: transport, retry: RetryPolicy(maxAttempts: 2, jitter: { $0 }), sleep: { waits.record($0) })
        return RemoteAPI(http: http, sleep: { waits.record($0) }, notice: { waits.notice($0) })
    }

    static let scenarios: [String: Scenario] = [
        "sentry": Scenario(
            make: FakeSentry.make, firstPath: "/api/0/projects/o/shop/",
            collector: { url, transport, waits in
                SentryCollector(organization: "o", project: "shop", client: SentryClient(baseURL: url, token: token, api: http(transport, waits)))
            },
            wrongType: (#"{"id": "4505", "slug": 7}"#, "unexpected JSON at slug"),
            refusal: (401, #"{"detail": "Invalid token"}"#, "HTTP 401: Invalid token")),
        "linear": Scenario(
            make: FakeLinear.make, firstPath: "/graphql",
            collector: { url, transport, waits in
                LinearCollector(
                    team: "ENG", client: LinearClient(baseURL: url.appendingPathComponent("graphql"), token: token, api: http(transport, waits)))
            },
            wrongType: (
                #"{"data": {"issues": {"nodes": [{"id": 1}], "pageInfo": {"hasNextPage": false}}}}"#, "unexpected JSON at data.issues.nodes[0].id"
            ),
            refusal: (
                400, #"{"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR"}}]}"#,
                "HTTP 400: Authentication required, not authenticated (AUTHENTICATION_ERROR)"
            )),
        "sonarqube": Scenario(
            make: { try FakeSonarQube.make() }, firstPath: "/api/measures/component",
            collector: { url, transport, waits in
                SonarQubeCollector(project: "shop", client: SonarQubeClient(baseURL: url, token: token, api: http(transport, waits)))
            },
            wrongType: (
                #"{"component": {"key": "shop", "measures": [{"metric": "coverage", "value": "eighty"}]}}"#,
                "unexpected JSON at component.measures[0].value"
            ),
            refusal: (403, #"{"errors":[{"msg":"Insufficient privileges"}]}"#, "HTTP 403: Insufficient privileges")),
    ]

    static let kinds = ["html", "truncated", "wrong type", "refused", "server error page", "oversized", "no answer"]

    @Test(arguments: ["sentry", "linear", "sonarqube"], kinds)
    func aHostileAnswerFailsOnlyThisSource(type: String, kind: String) async throws {
        let scenario = try #require(Self.scenarios[type])
        let fake = try scenario.make()
        let html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
        let json = [("Content-Type", "application/json")]
        var transport = CurlTransport()
        var baseURL = fake.baseURL
        let silent = try LoopbackHTTPServer { _ in nil }
        defer { silent.stop() }
        let expected: String
        switch kind {
        case "html":
            fake.queue(scenario.firstPath, FakeAPI.Response(headers: [("Content-Type", "text/html")], text: html))
            expected = "the answer is not JSON"
        case "truncated":
            fake.queue(scenario.firstPath, FakeAPI.Response(headers: json, text: String(scenario.wrongType.body.prefix(20))))
            expected = "the answer is not JSON"
        case "wrong type":
            fake.queue(scenario.firstPath, FakeAPI.Response(headers: json, text: scenario.wrongType.body))
            expected = scenario.wrongType.at
        case "refused":
            fake.queue(scenario.firstPath, FakeAPI.Response(status: scenario.refusal.status, headers: json, text: scenario.refusal.body))
            expected = scenario.refusal.expected
        case "server error page":
            for _ in 0..<2 { fake.queue(scenario.firstPath, FakeAPI.Response(status: 502, headers: [("Content-Type", "text/html")], text: html)) }
            expected = "HTTP 502 after 2 attempts"
        case "oversized":
            fake.queue(
                scenario.firstPath,
                FakeAPI.Response(headers: json, text: "[" + Array(repeating: #"{"id":"1"}"#, count: 200).joined(separator: ",") + "]"))
            transport = CurlTransport(options: CurlTransport.Options(maxResponseBytes: 1_000))
            expected = "larger than the 1000-byte limit"
        default:
            baseURL = silent.baseURL
            transport = CurlTransport(options: CurlTransport.Options(timeout: .seconds(1)))
            expected = "no complete answer within 1 s"
        }
        let waits = Waits()

        let run = try await RunBesideALocalSource(scenario.collector(baseURL, transport, waits), now: RFC3339.parse("2026-03-07T12:00:00Z")!)

        let outcomes = run.outcomes

        #expect(outcomes.map(\.status) == [.failed, .ok])
        let error = try #require(outcomes[0].error)
        #expect(error.hasPrefix("\(type): "), "\(error)")
        #expect(error.contains(expected), "\(error)")
        for output in outcomes.compactMap(\.error) + waits.notices + (try run.storeFiles()) { #expect(!output.contains(Self.token)) }
        // The token went out, in the header only.
        if kind != "no answer" { #expect(fake.requests.first.map { $0.header("Authorization")?.contains(Self.token) == true } == true) }
    }
}
