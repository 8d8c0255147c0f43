import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

@Suite("improvement tasks as Linear issues")
struct LinearIssueNotifierTests {
    static let token = "lin_api_TESTKEY0123456789"

    func notifier(_ server: LoopbackHTTPServer, team: String = "ENG") -> LinearIssueNotifier {
        LinearIssueNotifier(
            channel: "linear", config: LinearIssueChannelConfig(team: team, tokenEnv: "LINEAR_API_KEY", baseURL: server.baseURL),
            context: NotifierContext(environment: ["LINEAR_API_KEY": Self.token]))
    }

    @Test("firing opens one issue in the team; a second vitals finds it by the marker; escalation comments; resolve completes it")
    func lifecycle() async throws {
        let linear = FakeLinear(token: Self.token)
        let server = try LoopbackHTTPServer { linear.handle($0) }
        #expect(await notifier(server).deliver(Messages.alert(.firing)) == .delivered(status: nil))
        #expect(await notifier(server).deliver(Messages.alert(.firing, id: 2)) == .delivered(status: nil))
        #expect(linear.issues.count == 1)
        let issue = try #require(linear.issues.first)
        #expect(issue.title == "CoverageLow: Line coverage fell to 61% <below 70%> & falling")
        #expect(issue.description.contains("<!-- vitals:fingerprint="))
        #expect(await notifier(server).deliver(Messages.alert(.escalated, severity: .critical, id: 3)) == .delivered(status: nil))
        #expect(linear.issues[0].comments.count == 1)
        #expect(await notifier(server).deliver(Messages.alert(.resolved, id: 4)) == .delivered(status: nil))
        // The first completed state by position.
        #expect(linear.issues[0].stateID == "state-merged")
        #expect(linear.issues[0].comments.count == 2)
        #expect(await notifier(server).deliver(Messages.alert(.firing, id: 5)) == .delivered(status: nil))
        #expect(linear.issues.count == 2)
        #expect(server.requests.allSatisfy { $0.header("Authorization") == Self.token && $0.header("Content-Type") == "application/json" })
    }

    @Test("GraphQL errors are rejected with Linear's message, a rate limit retried; an unknown team is rejected")
    func errors() async throws {
        let linear = FakeLinear(token: "another")
        let unauthorised = try LoopbackHTTPServer { linear.handle($0) }
        #expect(
            await notifier(unauthorised).deliver(Messages.alert())
                == .reject(DeliveryFailure(status: 400, "Linear: Authentication required, not authenticated (AUTHENTICATION_ERROR)")))
        let limited = try LoopbackHTTPServer { _ in FakeLinear.errors(400, "Rate limit exceeded", code: "RATELIMITED") }
        #expect(
            await notifier(limited).deliver(Messages.alert())
                == .retry(DeliveryFailure(status: 400, "Linear: Rate limit exceeded (RATELIMITED)"), retryAfter: nil))
        let failing = try LoopbackHTTPServer { _ in .init(status: 503, headers: [("Retry-After", "5")], text: "unavailable") }
        #expect(
            await notifier(failing).deliver(Messages.alert())
                == .retry(DeliveryFailure(status: 503, "Linear: HTTP 503: unavailable"), retryAfter: .seconds(5)))
        let known = FakeLinear(token: Self.token)
        let server = try LoopbackHTTPServer { known.handle($0) }
        #expect(
            await notifier(server, team: "OPS").deliver(Messages.alert())
                == .reject(DeliveryFailure(status: nil, "Linear has no team with the key OPS that this token can see")))
    }
}
