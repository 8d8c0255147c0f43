import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

@Suite("Slack Web API chat.postMessage")
struct SlackAPINotifierTests {
    static let token = "xoxb-1111-TOKENVALUE"

    func notifier(_ server: LoopbackHTTPServer) -> SlackAPINotifier {
        SlackAPINotifier(
            channel: "team",
            config: SlackAPIChannelConfig(tokenEnv: "SLACK_BOT_TOKEN", channel: "C0123", baseURL: server.baseURL.appendingPathComponent("api")),
            context: NotifierContext(environment: ["SLACK_BOT_TOKEN": Self.token]))
    }

    /// Answers like Slack: `ok` with a new `ts` per message.
    static func slack(_ request: LoopbackHTTPServer.Request, index: Int) -> LoopbackHTTPServer.Response {
        .init(
            status: 200, headers: [("Content-Type", "application/json")],
            body: Messages.json(["ok": true, "channel": "C0123", "ts": "1700000000.00010\(index)"]))
    }

    @Test("an alert is one message: mrkdwn escaped for Slack, a text fallback, the bot token, the channel")
    func alert() async throws {
        let server = try LoopbackHTTPServer { Self.slack($0, index: 0) }
        let outcome = await notifier(server).deliver(Messages.alert())
        #expect(outcome == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/api/chat.postMessage")
        #expect(request.header("Authorization") == "Bearer \(Self.token)")
        #expect(request.header("Content-Type") == "application/json; charset=utf-8")
        let body = Messages.object(request.body)
        #expect(body["channel"] as? String == "C0123")
        #expect(body["thread_ts"] == nil)
        #expect(body["text"] as? String == "Firing: CoverageLow (warning)\nLine coverage fell to 61% &lt;below 70%&gt; &amp; falling")
        let block = try #require((body["blocks"] as? [[String: Any]])?.first)
        let text = try #require((block["text"] as? [String: Any])?["text"] as? String)
        #expect(
            text == "*Firing: CoverageLow (warning)*\nLine coverage fell to 61% &lt;below 70%&gt; &amp; falling\n"
                + "*Group* quality · *Value* 0.61 · *Labels* repo=acme/shop, source=coverage · *At* 2026-11-29T08:00:00Z")
    }

    @Test("a report posts its first payload, then the rest as replies in its thread, in order")
    func reportThread() async throws {
        let counter = Counter()
        let server = try LoopbackHTTPServer { Self.slack($0, index: counter.next()) }
        let payloads = [#"{"text":"Daily","blocks":[{"type":"header"}]}"#, #"{"text":"part 2"}"#, #"{"text":"part 3"}"#]
        let outcome = await notifier(server).deliver(Messages.report(slack: payloads))
        #expect(outcome == .delivered(status: 200))
        let bodies = server.requests.map { Messages.object($0.body) }
        #expect(bodies.map { $0["text"] as? String } == ["Daily", "part 2", "part 3"])
        #expect(bodies.map { $0["thread_ts"] as? String } == [nil, "1700000000.000100", "1700000000.000100"])
        #expect(bodies.allSatisfy { $0["channel"] as? String == "C0123" })
        #expect((bodies.first?["blocks"] as? [[String: Any]])?.first?["type"] as? String == "header")
    }

    @Test("a thread that failed halfway continues from the progress kept by the last attempt: no message is posted twice")
    func threadContinues() async throws {
        let counter = Counter()
        let server = try LoopbackHTTPServer { request in
            let index = counter.next()
            return index == 2 ? .init(status: 503, text: "upstream busy") : Self.slack(request, index: index)
        }
        let message = Messages.report(slack: [#"{"text":"Daily"}"#, #"{"text":"part 2"}"#, #"{"text":"part 3"}"#])
        let kept = ProgressLog()
        guard case .retry = await notifier(server).deliver(message, resuming: nil, record: kept.record) else {
            Issue.record("the 503 is not retried")
            return
        }
        #expect(
            kept.all == [
                DeliveryProgress(partsDelivered: 1, thread: "1700000000.000100"), DeliveryProgress(partsDelivered: 2, thread: "1700000000.000100"),
            ])
        // A new notifier, as after a restart: only what the outbox kept carries over.
        #expect(await notifier(server).deliver(message, resuming: kept.all.last, record: kept.record) == .delivered(status: 200))
        let bodies = server.requests.map { Messages.object($0.body) }
        #expect(bodies.map { $0["text"] as? String } == ["Daily", "part 2", "part 3", "part 3"])
        #expect(bodies.map { $0["thread_ts"] as? String } == [nil, "1700000000.000100", "1700000000.000100", "1700000000.000100"])
    }

    @Test(
        "Slack's permanent errors are rejected with Slack's error string",
        arguments: ["channel_not_found", "not_in_channel", "invalid_auth", "token_revoked", "invalid_blocks", "msg_too_long", "is_archived"])
    func permanent(error: String) async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Messages.json(["ok": false, "error": error])) }
        #expect(await notifier(server).deliver(Messages.alert()) == .reject(DeliveryFailure(status: 200, "Slack chat.postMessage: \(error)")))
    }

    @Test("HTTP 429 with Retry-After is retried not before it; ratelimited and Slack's own failures are retried")
    func transient() async throws {
        let limited = try LoopbackHTTPServer { _ in
            .init(status: 429, headers: [("Retry-After", "30")], body: Messages.json(["ok": false, "error": "ratelimited"]))
        }
        guard case .retry(let failure, let wait) = await notifier(limited).deliver(Messages.alert()) else {
            Issue.record("a 429 is not retried")
            return
        }
        #expect(wait == .seconds(30))
        #expect(failure.status == 429)
        for error in ["ratelimited", "internal_error", "service_unavailable"] {
            let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Messages.json(["ok": false, "error": error])) }
            #expect(
                await notifier(server).deliver(Messages.alert())
                    == .retry(DeliveryFailure(status: 200, "Slack chat.postMessage: \(error)"), retryAfter: nil))
        }
        let failing = try LoopbackHTTPServer { _ in .init(status: 502, text: "bad gateway") }
        guard case .retry = await notifier(failing).deliver(Messages.alert()) else {
            Issue.record("a 502 is not retried")
            return
        }
    }

    @Test("a slow Slack that does not answer within the transport's timeout is retried")
    func slow() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200, body: Messages.json(["ok": true, "ts": "1.2"]), delay: .seconds(2)) }
        let notifier = SlackAPINotifier(
            channel: "team", config: SlackAPIChannelConfig(tokenEnv: "SLACK_BOT_TOKEN", channel: "C0123", baseURL: server.baseURL),
            context: NotifierContext(
                environment: ["SLACK_BOT_TOKEN": Self.token], transport: CurlTransport(options: .init(timeout: .milliseconds(300)))))
        guard case .retry(let failure, nil) = await notifier.deliver(Messages.alert()) else {
            Issue.record("a timeout is not retried")
            return
        }
        #expect(failure.message.contains("no complete answer within 0.3 s"))
    }

    @Test("no connection is retried; a report without a slack rendering and a missing token are rejected")
    func failures() async throws {
        let closed = try LoopbackHTTPServer { _ in .init() }
        closed.stop()
        guard case .retry(let failure, nil) = await notifier(closed).deliver(Messages.alert()) else {
            Issue.record("no retry")
            return
        }
        #expect(failure.status == nil)
        let server = try LoopbackHTTPServer { Self.slack($0, index: 0) }
        var report = Messages.report()
        if case .report(let rendered) = report.payload {
            report = OutboxMessage(
                id: 9, idempotencyKey: "r", payload: .report(ReportMessage(name: "daily", title: rendered.title, bodies: ["md": "# x"])),
                createdAt: Messages.at)
        }
        #expect(
            await notifier(server).deliver(report)
                == .reject(DeliveryFailure(status: nil, "report 'daily' has no slack rendering (a JSON list of message payloads)")))
        let unset = SlackAPINotifier(
            channel: "team", config: SlackAPIChannelConfig(tokenEnv: "SLACK_BOT_TOKEN", channel: "C1"), context: NotifierContext(environment: [:]))
        #expect(
            await unset.deliver(Messages.alert())
                == .reject(DeliveryFailure(status: nil, "the environment variable SLACK_BOT_TOKEN (token_env) is not set")))
        #expect(server.requests.isEmpty)
    }
}

/// A thread-safe counter for server handlers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The current value, then one more.
    func next() -> Int {
        lock.withLock {
            defer { value += 1 }
            return value
        }
    }
}

/// The progress a notifier handed to the outbox, in order.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [DeliveryProgress] = []

    var record: @Sendable (DeliveryProgress) async throws -> Void { { progress in self.lock.withLock { self.log.append(progress) } } }
    var all: [DeliveryProgress] { lock.withLock { log } }
}
