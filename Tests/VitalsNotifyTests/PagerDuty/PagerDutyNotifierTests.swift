import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

@Suite("PagerDuty Events API v2")
struct PagerDutyNotifierTests {
    static let routingKey = "R0UTINGKEY0123456789abcdefABCDEF"

    func notifier(_ server: LoopbackHTTPServer) -> PagerDutyNotifier {
        PagerDutyNotifier(
            channel: "oncall", config: PagerDutyChannelConfig(routingKeyEnv: "PD_KEY", baseURL: server.baseURL),
            context: NotifierContext(environment: ["PD_KEY": Self.routingKey]))
    }

    /// Answers like PagerDuty: 202 with the dedup key.
    static func accepted(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let key = Messages.object(request.body)["dedup_key"] as? String ?? ""
        return .init(status: 202, body: Messages.json(["status": "success", "message": "Event processed", "dedup_key": key]))
    }

    @Test("a firing alert triggers with the fingerprint as dedup_key, a payload and custom details")
    func trigger() async throws {
        let server = try LoopbackHTTPServer(Self.accepted)
        let message = Messages.alert(.firing, severity: .critical)
        #expect(await notifier(server).deliver(message) == .delivered(status: 202))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v2/enqueue")
        #expect(request.header("Content-Type") == "application/json")
        let event = Messages.object(request.body)
        #expect(event["routing_key"] as? String == Self.routingKey)
        #expect(event["event_action"] as? String == "trigger")
        #expect(event["dedup_key"] as? String == #"quality/CoverageLow{repo="acme/shop",source="coverage"}"#)
        let payload = try #require(event["payload"] as? [String: Any])
        #expect(payload["summary"] as? String == "Firing: CoverageLow (critical): Line coverage fell to 61% <below 70%> & falling")
        #expect(payload["source"] as? String == "acme/shop")
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["timestamp"] as? String == Messages.at.description)
        #expect(payload["group"] as? String == "quality")
        #expect(payload["class"] as? String == "CoverageLow")
        let details = try #require(payload["custom_details"] as? [String: Any])
        #expect(details["labels"] as? [String: String] == ["repo": "acme/shop", "source": "coverage"])
        #expect(details["value"] as? String == "0.61")
        #expect(details["event"] as? String == "firing")
    }

    @Test("a resolve sends only the key and the action; reminders and escalations trigger again under the same key")
    func resolve() async throws {
        let server = try LoopbackHTTPServer(Self.accepted)
        for event in [AlertMessage.Event.firing, .reminder, .escalated, .resolved] {
            #expect(await notifier(server).deliver(Messages.alert(event)) == .delivered(status: 202))
        }
        let events = server.requests.map { Messages.object($0.body) }
        #expect(events.map { $0["event_action"] as? String } == ["trigger", "trigger", "trigger", "resolve"])
        #expect(Set(events.compactMap { $0["dedup_key"] as? String }).count == 1)
        try #require(events.count == 4)
        #expect(events[3]["payload"] == nil)
        #expect(Set(events[3].keys) == ["routing_key", "event_action", "dedup_key", "client"])
    }

    @Test(
        "severities map to PagerDuty's; an alert without one is an error",
        arguments: [(Severity?.some(.critical), "critical"), (.warning, "warning"), (.info, "info"), (nil, "error")])
    func severity(severity: Severity?, expected: String) async throws {
        let server = try LoopbackHTTPServer(Self.accepted)
        _ = await notifier(server).deliver(Messages.alert(severity: severity))
        let payload = Messages.object(try #require(server.requests.first).body)["payload"] as? [String: Any]
        #expect(payload?["severity"] as? String == expected)
    }

    @Test("a fingerprint longer than PagerDuty's 255 characters becomes its SHA-256, the same every time")
    func longFingerprint() async throws {
        let server = try LoopbackHTTPServer(Self.accepted)
        let labels = Labels(["path": String(repeating: "deep/", count: 60)])
        _ = await notifier(server).deliver(Messages.alert(.firing, labels: labels))
        _ = await notifier(server).deliver(Messages.alert(.resolved, labels: labels))
        let keys = server.requests.compactMap { Messages.object($0.body)["dedup_key"] as? String }
        #expect(keys.count == 2 && keys[0] == keys[1])
        #expect(keys[0].hasPrefix("vitals:sha256:") && keys[0].count == 14 + 64)
    }

    @Test("400 is rejected with PagerDuty's errors; 429 and 5xx are retried; a report is rejected without a request")
    func answers() async throws {
        let invalid = try LoopbackHTTPServer { _ in
            .init(
                status: 400,
                body: Messages.json(["status": "invalid event", "message": "Event object is invalid", "errors": ["'payload.summary' is missing"]]))
        }
        #expect(
            await notifier(invalid).deliver(Messages.alert())
                == .reject(DeliveryFailure(status: 400, "PagerDuty: HTTP 400: Event object is invalid: 'payload.summary' is missing")))
        let limited = try LoopbackHTTPServer { _ in .init(status: 429, headers: [("Retry-After", "12")], text: "") }
        #expect(
            await notifier(limited).deliver(Messages.alert()) == .retry(DeliveryFailure(status: 429, "PagerDuty: HTTP 429"), retryAfter: .seconds(12))
        )
        let failing = try LoopbackHTTPServer { _ in .init(status: 500, text: "oops") }
        #expect(
            await notifier(failing).deliver(Messages.alert()) == .retry(DeliveryFailure(status: 500, "PagerDuty: HTTP 500: oops"), retryAfter: nil))
        let server = try LoopbackHTTPServer(Self.accepted)
        guard case .reject(let failure) = await notifier(server).deliver(Messages.report()) else {
            Issue.record("a report is not rejected")
            return
        }
        #expect(failure.message.contains("PagerDuty takes alerts only"))
        #expect(server.requests.isEmpty)
    }
}
