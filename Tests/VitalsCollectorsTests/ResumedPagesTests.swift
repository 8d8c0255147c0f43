import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// Sentry's cursor pages and Linear's `endCursor` pages are kept in the run's state as they are read: a run that resumes
/// it asks for none of them again and gives the same samples; a new run asks for all of them.
@Suite struct ResumedPagesTests {
    enum API: String, CaseIterable { case sentry, linear }

    func collector(_ api: API, _ server: FakeAPI) -> any Collector {
        let waits = GitHubCollectorTests.Waits()
        return switch api {
        case .sentry:
            SentryCollector(
                organization: "o", project: "shop", environment: "production", client: SentryCollectorTests.client(server.baseURL, waits: waits))
        case .linear: LinearCollector(team: "ENG", client: LinearCollectorTests.client(server.baseURL, waits: waits))
        }
    }

    @Test(arguments: API.allCases)
    func aResumedRunAsksForNoPageAgain(api: API) async throws {
        let server = try api == .sentry ? FakeSentry.make() : FakeLinear.make()
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        func run(_ id: String) async throws -> [Sample] {
            let request = CollectionRequest(
                now: RFC3339.parse("2026-03-07T12:00:00Z")!, timeZone: .gmt, since: RFC3339.parse("2026-03-05T06:00:00Z")!,
                state: CollectionState(store: store, source: api.rawValue, run: id))
            return try await collector(api, server).collect(request)
        }

        let first = try await run("killed")
        let asked = server.requests.count
        let resumed = try await run("killed")
        let resumedAsked = server.requests.count - asked
        let fresh = try await run("next")

        #expect(asked >= 4)
        #expect(resumedAsked == 0)
        #expect(server.requests.count - asked == asked)
        #expect(resumed == first)
        #expect(fresh == first)
    }
}
