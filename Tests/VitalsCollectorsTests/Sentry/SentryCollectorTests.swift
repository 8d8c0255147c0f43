import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsHTTP
import VitalsTestSupport

/// The sentry source against a fake Sentry on 127.0.0.1: figures checked by hand, the requests it makes, rate limits.
@Suite struct SentryCollectorTests {
    static let token = "sntrys_FAKEtoken0123456789abcdefABCDEF0123"
    let now = RFC3339.parse("2026-03-07T12:00:00Z")!
    typealias Waits = GitHubCollectorTests.Waits

    static func client(
        _ baseURL: URL, waits: Waits, now: Date = Date(timeIntervalSince1970: 1_772_884_800), transport: CurlTransport = CurlTransport()
    ) -> SentryClient {
        let http = HTTPClient(transport: transport, retry: RetryPolicy(maxAttempts: 2, jitter: { $0 }), sleep: { waits.record($0) })
        return SentryClient(
            baseURL: baseURL, token: token, api: RemoteAPI(http: http, sleep: { waits.record($0) }, now: { now }, notice: { waits.notice($0) }))
    }

    func collect(_ sentry: FakeAPI, waits: Waits) async throws -> [Sample] {
        let collector = SentryCollector(
            organization: "o", project: "shop", environment: "production", client: Self.client(sentry.baseURL, waits: waits))
        let request = CollectionRequest(now: now, timeZone: .gmt, since: RFC3339.parse("2026-03-05T06:00:00Z")!)
        return SeriesIdentity.labelled(try await collector.collect(request), source: "sentry")
    }

    @Test func collectsReleaseHealthEventsAndIssuesAsDeclared() async throws {
        let sentry = try FakeSentry.make()
        let waits = Waits()

        let samples = try await collect(sentry, waits: waits)

        func values(_ name: String) -> [Double] { samples.filter { $0.series.key.name == name }.map(\.value) }
        func instants(_ name: String) -> [String] { samples.filter { $0.series.key.name == name }.map { RFC3339.format($0.timestamp) } }
        // 03-05: (6 errored + 0 unhandled + 3 crashed) / 100; 03-06 no sessions; 03-07: ("3" + 1 + 1) / 50.
        #expect(values("sentry_error_ratio") == [0.09, 0.1])
        #expect(instants("sentry_error_ratio") == ["2026-03-05T00:00:00Z", "2026-03-07T00:00:00Z"])
        #expect(values("sentry_crash_free_sessions_ratio") == [0.97, 0.98])
        #expect(values("sentry_crash_free_users_ratio") == [0.95, 0.8])
        #expect(values("sentry_events_accepted") == [10, 0, 7])
        #expect(values("sentry_unresolved_issues") == [3])
        // First seen 03-05 (#2) and 03-07 (#3, #4), from the start of the day of `since`.
        #expect(values("sentry_new_issues") == [1, 0, 2])
        #expect(instants("sentry_new_issues") == ["2026-03-05T00:00:00Z", "2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z"])
        #expect(DeclaredSamples.mismatches(samples, of: SentrySource.definition) == [])
        #expect(samples.filter { $0.series.key.name != "sentry_events_accepted" }.allSatisfy { $0.series.key.labels["environment"] == "production" })

        let requests = sentry.requests
        #expect(requests.allSatisfy { $0.header("Authorization") == "Bearer \(Self.token)" })
        let sessions = requests.filter { $0.path == "/api/0/organizations/o/sessions/" }.map(FakeAPI.query)
        #expect(sessions.count == 2)
        for query in sessions {
            #expect(query.contains(URLQueryItem(name: "project", value: "4505")))
            #expect(query.contains(URLQueryItem(name: "environment", value: "production")))
            #expect(query.contains(URLQueryItem(name: "interval", value: "1d")))
            #expect(query.contains(URLQueryItem(name: "start", value: "2026-03-05T00:00:00Z")))
            #expect(query.contains(URLQueryItem(name: "end", value: "2026-03-07T12:00:00Z")))
        }
        let stats = try #require(requests.first { $0.path == "/api/0/organizations/o/stats_v2/" }.map(FakeAPI.query))
        for item in [("field", "sum(quantity)"), ("category", "error"), ("outcome", "accepted"), ("groupBy", "outcome")] {
            #expect(stats.contains(URLQueryItem(name: item.0, value: item.1)))
        }
        // Two lists of three issues in pages of two: the second page's next link says results="false".
        #expect(requests.filter { $0.path == "/api/0/projects/o/shop/issues/" }.count == 4)
        #expect(waits.all.isEmpty)
    }

    /// `--backfill 90d` reads what Sentry keeps: at most 90 days of sessions and stats, from the start of the first whole day.
    @Test func aLongBackfillIsBoundedByWhatSentryKeeps() async throws {
        let sentry = try FakeSentry.make()
        let collector = SentryCollector(organization: "o", project: "shop", client: Self.client(sentry.baseURL, waits: Waits()))

        _ = try await collector.collect(CollectionRequest(now: now, timeZone: .gmt, since: now.subtracting(.days(365))))

        let start = sentry.requests.first { $0.path == "/api/0/organizations/o/sessions/" }.flatMap {
            FakeAPI.query($0).first { $0.name == "start" }?.value
        }
        #expect(start == "2025-12-08T00:00:00Z")
    }

    /// A 429 waits what `Retry-After` asks, else until `X-Sentry-Rate-Limit-Reset`, and says so; an answer with no requests
    /// left waits for the reset before the next request.
    @Test(arguments: [
        ([("Retry-After", "7")], Duration.seconds(7)), ([("X-Sentry-Rate-Limit-Reset", "1772884830")], Duration.seconds(30)),
    ])
    func aRateLimitedRequestWaitsAndIsSentAgain(headers: [(String, String)], wait: Duration) async throws {
        let sentry = try FakeSentry.make()
        sentry.queue(
            "/api/0/projects/o/shop/",
            FakeAPI.Response(
                status: 429, headers: headers,
                text: #"{"detail":"You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds"}"#))
        let waits = Waits()
        let client = Self.client(sentry.baseURL, waits: waits)

        let project = try await client.object("projects/o/shop/", as: SentryRecords.Project.self)

        #expect(project.id == "4505")
        #expect(waits.all == [wait])
        #expect(waits.notices.count == 1)
        #expect(waits.notices.first?.contains("pausing \(wait.components.seconds) s for Sentry's rate limit (HTTP 429)") == true, "\(waits.notices)")
    }

    @Test func noRequestsLeftWaitsForTheReset() async throws {
        let sentry = try FakeSentry.make()
        sentry.queue(
            "/api/0/projects/o/shop/",
            FakeAPI.Response(
                headers: [("X-Sentry-Rate-Limit-Remaining", "0"), ("X-Sentry-Rate-Limit-Reset", "1772884812")],
                text: #"{"id": "4505", "slug": "shop"}"#))
        let waits = Waits()

        _ = try await Self.client(sentry.baseURL, waits: waits).object("projects/o/shop/", as: SentryRecords.Project.self)

        #expect(waits.all == [.seconds(12)])
        #expect(waits.notices.first?.contains("X-Sentry-Rate-Limit-Remaining 0") == true, "\(waits.notices)")
    }
}
