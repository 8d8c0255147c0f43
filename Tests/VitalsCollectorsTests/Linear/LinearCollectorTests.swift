import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsHTTP
import VitalsStore
import VitalsTestSupport

/// The linear source against a fake Linear GraphQL endpoint on 127.0.0.1: figures checked by hand, pagination, the key
/// sent bare, `RATELIMITED`.
@Suite struct LinearCollectorTests {
    static let token = "lin_api_FAKEtoken0123456789abcdefABCDEF0123"
    let now = RFC3339.parse("2026-03-07T12:00:00Z")!
    typealias Waits = GitHubCollectorTests.Waits

    static func client(_ baseURL: URL, waits: Waits, transport: CurlTransport = CurlTransport()) -> LinearClient {
        let http = HTTPClient(transport: transport, retry: RetryPolicy(maxAttempts: 2, jitter: { $0 }), sleep: { waits.record($0) })
        return LinearClient(
            baseURL: baseURL.appendingPathComponent("graphql"), token: token,
            api: RemoteAPI(http: http, sleep: { waits.record($0) }, now: { Date(timeIntervalSince1970: 1_772_884_800) }, notice: { waits.notice($0) })
        )
    }

    @Test func collectsVelocityCyclesAndBugsAsDeclared() async throws {
        let linear = try FakeLinear.make()
        let waits = Waits()
        let collector = LinearCollector(team: "ENG", client: Self.client(linear.baseURL, waits: waits))
        let request = CollectionRequest(now: now, timeZone: .gmt, since: RFC3339.parse("2026-03-05T06:00:00Z")!)

        let samples = SeriesIdentity.labelled(try await collector.collect(request), source: "linear")

        func values(_ name: String) -> [Double] { samples.filter { $0.series.key.name == name }.map(\.value) }
        // 03-05: A (3 points) and B (none); 03-06: none; 03-07: C (5) at midnight and D (2).
        #expect(values("linear_issues_completed") == [2, 0, 2])
        #expect(values("linear_points_completed") == [3, 0, 7])
        // A: 2 hours; C: a day; B was never started; D's negative time is discarded.
        #expect(values("linear_issue_cycle_seconds") == [7_200, 86_400])
        // Cycle 11: 12 of 16; cycle 12 (active): 5 of 20.
        #expect(values("linear_cycle_completion_ratio") == [0.75, 0.25])
        #expect(samples.filter { $0.series.key.name == "linear_cycle_completion_ratio" }.map { $0.series.key.labels["cycle"] } == ["11", "12"])
        #expect(values("linear_bugs_open") == [2])
        #expect(DeclaredSamples.mismatches(samples, of: LinearSource.definition) == [])

        // Two pages of completed issues, one of bugs, one of cycles; the key bare in Authorization, as Linear's SDK sends it.
        #expect(linear.requests.count == 4)
        #expect(linear.requests.allSatisfy { $0.method == "POST" && $0.header("Authorization") == Self.token })
        let filters = FakeLinear.filters(linear)
        #expect((filters[0]["completedAt"] as? [String: String]) == ["gte": "2026-03-05T00:00:00Z"])
        #expect(((filters[0]["team"] as? [String: Any])?["key"] as? [String: String]) == ["eq": "ENG"])
        #expect(((filters[2]["state"] as? [String: Any])?["type"] as? [String: [String]]) == ["nin": ["completed", "canceled"]])
        #expect(waits.all.isEmpty)
    }

    /// `RATELIMITED` (HTTP 400, or 200 with errors) waits until `X-RateLimit-Requests-Reset` (epoch milliseconds), says so,
    /// and asks again.
    @Test(arguments: [400, 200])
    func aRateLimitedQueryWaitsForTheResetAndIsSentAgain(status: Int) async throws {
        let linear = try FakeLinear.make()
        linear.queue(
            "/graphql",
            FakeAPI.Response(
                status: status, headers: [("Content-Type", "application/json"), ("X-RateLimit-Requests-Reset", "1772884825000")],
                text:
                    #"{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED","type":"ratelimited","userPresentableMessage":"Too many requests"}}]}"#
            ))
        let waits = Waits()

        let viewer = try await Self.client(linear.baseURL, waits: waits).query("query { viewer { id } }", as: LinearRecords.Viewer.self)

        #expect(viewer.viewer.id == "u1")
        #expect(waits.all == [.seconds(25)])
        #expect(waits.notices.first?.contains("pausing 25 s for Linear's rate limit (RATELIMITED)") == true, "\(waits.notices)")
    }

    /// Another GraphQL error fails with Linear's message; a query that keeps being limited gives up after three waits.
    @Test func graphQLErrorsFailWithLinearsMessage() async throws {
        let linear = try FakeLinear.make()
        linear.queue(
            "/graphql",
            FakeAPI.Response(
                status: 400, headers: [("Content-Type", "application/json")],
                text:
                    #"{"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR","type":"authentication error"}}]}"#
            ))
        for _ in 0..<4 {
            linear.queue(
                "/graphql",
                FakeAPI.Response(status: 400, text: #"{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED"}}]}"#))
        }
        let waits = Waits()
        let client = Self.client(linear.baseURL, waits: waits)

        await #expect { try await client.query("query { viewer { id } }", as: LinearRecords.Viewer.self) } throws: { error in
            "\(error)".hasSuffix("/graphql: HTTP 400: Authentication required, not authenticated (AUTHENTICATION_ERROR)")
        }
        await #expect { try await client.query("query { viewer { id } }", as: LinearRecords.Viewer.self) } throws: { error in
            "\(error)".hasSuffix("still RATELIMITED after 3 waits for Linear's rate limit")
        }
        #expect(waits.all == [.seconds(60), .seconds(60), .seconds(60)])
    }

    /// `--backfill 90d` reads 90 days of completed issues (from the start of that day), writing every day of them; the
    /// next run without it reads from the day before that run, so collection is incremental.
    @Test func aBackfillReadsNinetyDaysAndTheNextRunResumes() async throws {
        let linear = try FakeLinear.make()
        let folder = try TemporaryFolder()
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent("vitals.db").path, timeZone: .gmt, retention: .days(400))
        let collector = LinearCollector(team: "ENG", client: Self.client(linear.baseURL, waits: Waits()))
        let runner = CollectionRunner(store: store)

        let backfill = try await runner.run([collector], now: now, timeZone: .gmt, backfill: .days(90))
        let next = try await runner.run([collector], now: now.adding(.hours(24)), timeZone: .gmt)

        #expect(backfill.map(\.status) == [.ok])
        #expect(next.map(\.status) == [.ok])
        let completedFrom = FakeLinear.filters(linear).compactMap { ($0["completedAt"] as? [String: String])?["gte"] }
        #expect(completedFrom.first == "2025-12-07T00:00:00Z")
        #expect(completedFrom.last == "2026-03-06T00:00:00Z")
        let written = try await store.samples(
            of: SeriesKey("linear_issues_completed", ["source": "linear", "team": "ENG"]),
            in: Period(from: RFC3339.parse("2025-12-01T00:00:00Z")!, to: now))
        #expect(written.count == 91)
        #expect(written.map(\.value).reduce(0, +) == 4)
    }
}
