import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// The Slack webhook channel against a stand-in on 127.0.0.1 that answers as Slack does; assertions are on the bytes it received.
@Suite(.timeLimit(.minutes(1))) struct SlackWebhookChannelTests {
    static let t0 = Timestamp(milliseconds: 1_764_316_800_000)
    static let alert = AlertMessage(
        group: "api", alert: "HighErrorRate", labels: ["service": "api"], event: .firing, severity: .critical, value: 0.25,
        summary: "errors at 25% (limit <10%) & rising", at: t0)

    static func channel(_ server: SlackWebhookServer, timeout: Duration = .seconds(10)) -> SlackWebhookChannel {
        let context = NotifierContext(
            environment: ["OPS_WEBHOOK": server.webhookURL.absoluteString], transport: CurlTransport(options: .init(timeout: timeout)))
        return SlackWebhookChannel(channel: "ops", webhookURLEnv: "OPS_WEBHOOK", context: context)
    }

    static func message(_ payload: OutboxMessage.Payload, id: Int64 = 1) -> OutboxMessage {
        OutboxMessage(id: id, idempotencyKey: "k\(id)", payload: payload, createdAt: t0)
    }

    static func json(_ data: Data) throws -> [String: Any] { try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]) }

    @Test func anAlertIsPostedAsMrkdwnTextWithBlocks() async throws {
        let server = try SlackWebhookServer()
        let outcome = await Self.channel(server).deliver(Self.message(.alert(Self.alert)))
        #expect(outcome == .delivered(status: 200))
        let request = try #require(server.server.requests.first)
        #expect(server.server.requests.count == 1)
        #expect(request.method == "POST" && request.header("Content-Type") == "application/json; charset=utf-8")
        let body = try Self.json(request.body)
        let text = ":rotating_light: *[FIRING · critical] api/HighErrorRate*\nerrors at 25% (limit &lt;10%) &amp; rising"
        #expect(body["text"] as? String == text)
        let blocks = try #require(body["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["section", "context"])
        #expect((blocks[0]["text"] as? [String: Any])?["text"] as? String == text)
        let context = try #require((blocks[1]["elements"] as? [[String: Any]])?.first?["text"] as? String)
        #expect(context == "`{service=\"api\"}` · value 0.25 · at 2025-11-28T08:00:00Z")
    }

    @Test func aReportIsPostedAsItsSlackMessagesInOrder() async throws {
        let server = try SlackWebhookServer()
        let slack = #"[{"text":"Daily report","blocks":[{"type":"header","text":{"type":"plain_text","text":"Daily"}}]},{"text":"part 2"},{"text":"part 3"}]"#
        let report = ReportMessage(name: "daily", title: "Daily report", bodies: ["slack": slack, "md": "# Daily"])
        #expect(await Self.channel(server).deliver(Self.message(.report(report))) == .delivered(status: 200))
        #expect(server.postedTexts == ["Daily report", "part 2", "part 3"])
        #expect(try Self.json(try #require(server.posted.first))["blocks"] != nil)
    }

    static let answers: [(SlackWebhookServer.Answer, DeliveryOutcome)] = [
        (.ok, .delivered(status: 200)),
        (.invalidBlocks, .reject(DeliveryFailure(status: 400, "invalid_blocks"))),
        (.invalidPayload, .reject(DeliveryFailure(status: 400, "invalid_payload"))),
        (.channelNotFound, .reject(DeliveryFailure(status: 404, "channel_not_found"))),
        (.channelIsArchived, .reject(DeliveryFailure(status: 410, "channel_is_archived"))),
        (.rateLimited(retryAfter: 30), .retry(DeliveryFailure(status: 429, "rate_limited"), retryAfter: .seconds(30))),
        (.serverError, .retry(DeliveryFailure(status: 500, "rollup_error"), retryAfter: nil)),
    ]

    @Test(arguments: answers)
    func slacksAnswersBecomeOutcomes(answer: SlackWebhookServer.Answer, expected: DeliveryOutcome) async throws {
        let server = try SlackWebhookServer { _, _ in answer }
        #expect(await Self.channel(server).deliver(Self.message(.alert(Self.alert))) == expected)
    }

    @Test func aSlowAnswerPastTheTimeoutIsRetriedAndNamesNoSecret() async throws {
        let server = try SlackWebhookServer { _, _ in .slow(.seconds(3)) }
        let outcome = await Self.channel(server, timeout: .milliseconds(300)).deliver(Self.message(.alert(Self.alert)))
        guard case .retry(let failure, nil) = outcome else {
            Issue.record("expected a retry, got \(outcome)")
            return
        }
        #expect(failure.description.contains("127.0.0.1"))
        #expect(!failure.description.contains("secret") && !failure.description.contains("services"))
    }

    @Test func aLaterPartFailingStopsTheReport() async throws {
        let server = try SlackWebhookServer { index, _ in index == 1 ? .serverError : .ok }
        let report = ReportMessage(name: "daily", title: "Daily", bodies: ["slack": #"[{"text":"one"},{"text":"two"},{"text":"three"}]"#])
        let outcome = await Self.channel(server).deliver(Self.message(.report(report)))
        #expect(outcome == .retry(DeliveryFailure(status: 500, "rollup_error"), retryAfter: nil))
        #expect(server.postedTexts == ["one"])
    }

    /// An unset variable is rejected like every channel's (NotifierContext): no retry sets it; `vitals outbox retry` sends again.
    @Test func anUnsetVariableAndABadOneAreRejectedWithoutRepeatingIt() async throws {
        let unset = SlackWebhookChannel(channel: "ops", webhookURLEnv: "OPS_WEBHOOK", context: NotifierContext(environment: [:]))
        #expect(
            await unset.deliver(Self.message(.alert(Self.alert)))
                == .reject(DeliveryFailure(status: nil, "the environment variable OPS_WEBHOOK (webhook_url_env) is not set")))
        let bad = SlackWebhookChannel(
            channel: "ops", webhookURLEnv: "OPS_WEBHOOK", context: NotifierContext(environment: ["OPS_WEBHOOK": "xoxb-not-a-url"]))
        guard case .reject(let failure) = await bad.deliver(Self.message(.alert(Self.alert))) else {
            Issue.record("expected a reject")
            return
        }
        #expect(!failure.description.contains("xoxb"))
    }

    /// The dispatcher, the store and the channel together: a 429, a 500 and an `invalid_blocks` along the way, and Slack
    /// receives each message once, in order, the rejected one never.
    @Test func throughTheOutboxEachMessageArrivesOnceInOrder() async throws {
        let server = try SlackWebhookServer { index, body in
            let text = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["text"] as? String ?? ""
            if text.contains("bad") { return .invalidBlocks }
            switch index {
            case 1: return .rateLimited(retryAfter: 7)
            case 4: return .serverError
            default: return .ok
            }
        }
        let store = try await SQLiteMetricStore.inMemory(timeZone: TimeZone(identifier: "UTC")!, retention: .days(400))
        let clock = ManualClock(start: Self.t0)
        let names = ["a", "b", "bad", "c", "d"]
        for name in names {
            let report = ReportMessage(name: name, title: name, bodies: ["slack": #"[{"text":"\#(name)"}]"#])
            _ = try await store.enqueue(key: name, payload: .report(report), channels: ["ops"], at: Self.t0, force: false)
        }
        let dispatcher = Dispatcher(
            store: store, notifiers: [Self.channel(server)], policy: DeliveryPolicy(baseDelay: .seconds(2), jitter: { $0 }),
            rateLimits: ["ops": .seconds(1)], clock: clock, now: { clock.timestamp })
        let summary = try await dispatcher.flush(waitingUpTo: .minutes(1))
        #expect(server.postedTexts == ["a", "b", "c", "d"])
        #expect(server.server.requests.count == 7)
        #expect(summary.delivered == 4 && summary.retried == 2 && summary.pending == 0)
        #expect(summary.dead.map(\.error) == ["400: invalid_blocks"])
        let dead = try await store.deliveries(status: .dead)
        #expect(dead.map(\.message.idempotencyKey) == ["bad"])
    }

    /// A report whose second message failed continues with it on the next attempt, by a dispatcher that shares nothing
    /// with the first but the store (as after a restart): each message arrives once.
    @Test func aReportThatFailedHalfwayContinuesWhereItStoppedAfterARestart() async throws {
        let server = try SlackWebhookServer { index, _ in index == 1 ? .serverError : .ok }
        let store = try await SQLiteMetricStore.inMemory(timeZone: TimeZone(identifier: "UTC")!, retention: .days(400))
        let report = ReportMessage(name: "daily", title: "Daily", bodies: ["slack": #"[{"text":"one"},{"text":"two"},{"text":"three"}]"#])
        _ = try await store.enqueue(key: "daily", payload: .report(report), channels: ["ops"], at: Self.t0, force: false)
        let clock = ManualClock(start: Self.t0)
        func dispatcher() -> Dispatcher {
            Dispatcher(
                store: store, notifiers: [Self.channel(server)], policy: DeliveryPolicy(jitter: { $0 }), clock: clock, now: { clock.timestamp })
        }
        let first = try await dispatcher().dispatchDue()
        #expect(first.retried == 1 && server.postedTexts == ["one"])
        #expect(try await store.deliveries(status: .pending).first?.progress == DeliveryProgress(partsDelivered: 1, thread: nil))
        let second = try await dispatcher().flush(waitingUpTo: .hours(1))
        #expect(second.delivered == 1 && second.pending == 0)
        #expect(server.postedTexts == ["one", "two", "three"])
    }
}
