import Foundation
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// 1,000 queued alert notifications delivered through the Slack webhook channel (libcurl) to a receiver on 127.0.0.1, with
/// the rate limit lifted: once with every request answered `ok`, once with half of them failing (500 and 429 in turn), where
/// every message must still arrive exactly once.
struct DispatchBenchmark {
    let folder: URL
    static let messages = 1_000

    func run() async throws {
        print("dispatch: \(Self.messages) queued messages to a Slack webhook stand-in on 127.0.0.1, rate limit lifted, on-disk store")
        for failing in [false, true] {
            var times: [Double] = []
            for attempt in 0..<3 {
                let seconds = try await once(failing: failing, name: "\(failing ? "failing" : "ok")-\(attempt)")
                times.append(seconds)
            }
            times.sort()
            let label = failing ? "  half the requests failing (500, 429): seconds" : "  every request ok: seconds"
            line(label, "median \(format(times[1])), best \(format(times[0])) of 3; each arrived exactly once")
        }
    }

    /// Queues the messages in a fresh store, flushes them, checks what arrived and returns the flush's wall time.
    func once(failing: Bool, name: String) async throws -> Double {
        let server = try SlackWebhookServer { index, _ in
            guard failing, index % 2 == 1 else { return .ok }
            return index % 4 == 1 ? .serverError : .rateLimited(retryAfter: 0)
        }
        defer { server.stop() }
        let store = try await SQLiteMetricStore(path: folder.appendingPathComponent("dispatch-\(name).db").path, timeZone: .gmt, retention: .days(400))
        let now = SystemClock().now()
        for index in 0..<Self.messages {
            let alert = AlertMessage(
                group: "bench", alert: String(format: "m%04d", index), labels: ["service": "api"], event: .firing, severity: .warning, value: 1,
                summary: "message \(index)", at: now)
            _ = try await store.enqueue(key: "m\(index)", payload: .alert(alert), channels: ["ops"], at: now, force: false)
        }
        let channel = SlackWebhookChannel(
            channel: "ops", webhookURLEnv: "OPS", context: NotifierContext(root: folder, environment: ["OPS": server.webhookURL.absoluteString]))
        // Short waits, so the benchmark measures delivery rather than backoff.
        let policy = DeliveryPolicy(baseDelay: TimeSpan(milliseconds: 2), maxDelay: TimeSpan(milliseconds: 20), minDelay: TimeSpan(milliseconds: 0))
        let dispatcher = Dispatcher(store: store, notifiers: [channel], policy: policy, now: { SystemClock().now() })
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try await dispatcher.flush(waitingUpTo: .minutes(5))
        let elapsed = clock.now - start
        let texts = server.postedTexts
        guard summary.pending == 0, summary.dead.isEmpty, summary.delivered == Self.messages, texts.count == Self.messages,
            Set(texts).count == Self.messages
        else {
            throw BenchError("dispatch: \(summary.delivered) delivered, \(summary.dead.count) dead, \(texts.count) posted (\(Set(texts).count) distinct)")
        }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
