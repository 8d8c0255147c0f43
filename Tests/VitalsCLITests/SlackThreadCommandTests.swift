import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// A report posted as a Slack thread (`chat.postMessage`) by a real `vitals outbox flush` that is killed halfway: the
/// next run continues the thread where it stopped.
@Suite(.timeLimit(.minutes(2))) struct SlackThreadCommandTests {
    static let parts = ["part 1", "part 2", "part 3", "part 4"]

    @Test func aFlushKilledAfterTheFirstPartContinuesTheThread() async throws {
        let folder = try TemporaryFolder()
        let slack = SlackThreadStandIn()
        let server = try LoopbackHTTPServer { slack.answer($0) }
        _ = try folder.write(
            "vitals.yml",
            """
            channels:
              team: {type: slack_api, token_env: SLACK_BOT_TOKEN, channel: C0123, base_url: "\(server.baseURL.absoluteString)/api"}
            """)
        let store = try await SQLiteMetricStore(
            path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let bodies = "[" + Self.parts.map { #"{"text":"\#($0)"}"# }.joined(separator: ",") + "]"
        let report = ReportMessage(name: "daily", title: "Daily", bodies: ["slack": bodies])
        _ = try await store.enqueue(key: "report:daily@1", payload: .report(report), channels: ["team"], at: SystemClock().now(), force: false)
        let environment = ["SLACK_BOT_TOKEN": "xoxb-1111-TOKENVALUE"]

        // Killed when Slack receives the second part, which it never posts: the first part and its progress are committed.
        let child = try VitalsProcess.start(["outbox", "flush"], in: folder.url, environment: environment)
        slack.killOnSecondPart(child)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        server.waitUntilIdle()
        #expect(slack.posted.map(\.text) == ["part 1"])

        let last = try VitalsProcess.run(["outbox", "flush"], in: folder.url, environment: environment)
        #expect(last.status == 0, "\(last.stdout)\(last.stderr)")
        let posted = slack.posted
        #expect(posted.map(\.text) == Self.parts, "every part once, in order")
        let parent = try #require(posted.first?.ts)
        #expect(posted.map(\.threadTS) == [nil, parent, parent, parent], "the rest in the first message's thread")
    }
}

/// Slack's `chat.postMessage` on 127.0.0.1: posts each message with a new `ts`, except the second part of the first run,
/// on which it kills the running vitals and posts nothing.
final class SlackThreadStandIn: @unchecked Sendable {
    struct Post {
        let text: String
        let threadTS: String?
        let ts: String
    }

    private let lock = NSLock()
    private var child: Process?
    private var killed = false
    private var log: [Post] = []

    func killOnSecondPart(_ child: Process) { lock.withLock { self.child = child } }

    var posted: [Post] { lock.withLock { log } }

    func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
        let text = body["text"] as? String ?? ""
        // The child is handed over just after it starts; it cannot have sent its second part before (it waits for the first's answer).
        if text == SlackThreadCommandTests.parts[1], lock.withLock({ !killed }) {
            for _ in 0..<500 where lock.withLock({ child == nil }) { usleep(10_000) }
            lock.withLock {
                killed = true
                if let child, child.isRunning { kill(child.processIdentifier, SIGKILL) }
            }
            return .init(status: 500, text: "killed")
        }
        let ts = lock.withLock {
            let ts = "1700000000.00010\(log.count)"
            log.append(Post(text: text, threadTS: body["thread_ts"] as? String, ts: ts))
            return ts
        }
        return .init(
            status: 200, headers: [("Content-Type", "application/json")],
            body: Data(#"{"ok":true,"channel":"C0123","ts":"\#(ts)"}"#.utf8))
    }
}
