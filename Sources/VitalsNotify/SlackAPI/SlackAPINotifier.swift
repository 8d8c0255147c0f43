public import Foundation
import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// Posts to Slack with `chat.postMessage`: an alert as one message (mrkdwn with a `text` fallback), a report as its
/// `slack` rendering, the first payload as the message and the rest as replies in its thread.
///
/// Slack answers most errors with HTTP 200 and `{"ok": false, "error": "…"}`: `ratelimited` and Slack's own failures are
/// retried, every other error (`channel_not_found`, `not_in_channel`, `invalid_auth`, `token_revoked`, `invalid_blocks`,
/// `msg_too_long`, …) is rejected with Slack's error string. A thread that failed halfway is continued by the next
/// attempt, also after a restart: the dispatcher keeps the thread's `ts` and the parts posted with the delivery.
public struct SlackAPINotifier: Notifier {
    public let channel: String
    public let config: SlackAPIChannelConfig
    let context: NotifierContext

    /// Slack errors a later attempt may not meet again; every other error is the request's or the configuration's.
    static let transientErrors: Set<String> = ["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]

    public init(channel: String, config: SlackAPIChannelConfig, context: NotifierContext) {
        self.channel = channel
        self.config = config
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        await deliver(message, resuming: nil) { _ in }
    }

    public func deliver(
        _ message: OutboxMessage, resuming progress: DeliveryProgress?, record: @escaping @Sendable (DeliveryProgress) async throws -> Void
    ) async -> DeliveryOutcome {
        do throws(Undelivered) {
            let token = try context.secret(config.tokenEnv, key: "token_env")
            let delivery = context.delivery(secrets: [token])
            let payloads = try Self.payloads(message)
            var threadTS = progress?.thread
            var posted = progress?.partsDelivered ?? 0
            while posted < payloads.count {
                let body = try Self.body(payloads[posted], channel: config.channel, threadTS: threadTS)
                let ts = try await post(body, token: token, delivery: delivery)
                threadTS = threadTS ?? ts
                posted += 1
                if posted < payloads.count { try await Self.keep(DeliveryProgress(partsDelivered: posted, thread: threadTS), with: record) }
            }
            return .delivered(status: 200)
        } catch {
            return error.outcome
        }
    }

    /// Hands `progress` to `record`; a failure to keep it is retried (the store is likely failing too).
    private static func keep(_ progress: DeliveryProgress, with record: @Sendable (DeliveryProgress) async throws -> Void) async throws(Undelivered) {
        do {
            try await record(progress)
        } catch {
            throw .retry(DeliveryFailure(status: nil, "the thread's progress could not be recorded: \(error)"))
        }
    }

    /// The messages to post, each a JSON object without its `channel`: one for an alert, the `slack` rendering's for a report.
    static func payloads(_ message: OutboxMessage) throws(Undelivered) -> [Data] {
        switch message.payload {
        case .alert(let alert):
            let text = AlertText(alert)
            let block: [String: Any] = ["type": "section", "text": ["type": "mrkdwn", "text": text.slackMrkdwn]]
            return [HTTPDelivery.json(["text": AlertText.slackEscaped(text.plain), "blocks": [block]])]
        case .report(let report):
            guard let rendered = report.bodies["slack"], let list = try? JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [Any],
                !list.isEmpty, list.allSatisfy({ $0 is [String: Any] })
            else {
                throw .reject(DeliveryFailure(status: nil, "report '\(report.name)' has no slack rendering (a JSON list of message payloads)"))
            }
            return list.map { HTTPDelivery.json($0) }
        }
    }

    /// `payload` with the channel, and the thread it replies in.
    static func body(_ payload: Data, channel: String, threadTS: String?) throws(Undelivered) -> Data {
        guard var object = HTTPDelivery.object(payload) else { throw .reject(DeliveryFailure(status: nil, "a slack payload is not a JSON object")) }
        object["channel"] = channel
        if let threadTS { object["thread_ts"] = threadTS }
        return HTTPDelivery.json(object)
    }

    /// Posts one message; returns its `ts`, which names it as a thread's parent.
    private func post(_ body: Data, token: String, delivery: HTTPDelivery) async throws(Undelivered) -> String {
        let request = HTTPRequest(
            method: "POST", url: config.baseURL.appendingPathComponent("chat.postMessage"),
            headers: ["Content-Type": "application/json; charset=utf-8", "Authorization": "Bearer \(token)"], body: body)
        let response = try await delivery.send(request)
        try delivery.accept(response, "Slack chat.postMessage")
        guard let answer = HTTPDelivery.object(response.body), let ok = answer["ok"] as? Bool else {
            throw .retry(
                delivery.failure(status: response.status, "Slack chat.postMessage: an answer that is not Slack's: \(HTTPDelivery.excerpt(response))"))
        }
        guard ok else {
            let error = answer["error"] as? String ?? "unknown_error"
            let failure = delivery.failure(status: response.status, "Slack chat.postMessage: \(error)")
            throw Self.transientErrors.contains(error) ? delivery.retry(failure, response) : .reject(failure)
        }
        return answer["ts"] as? String ?? ""
    }
}

extension SlackAPINotifier {
    /// `type: slack_api` in `channels:`: the settings read by its config, the notifier made from them.
    public static let definition = ChannelDefinition(
        type: SlackAPIChannelConfig.type, read: { section throws(ConfigError) in try SlackAPIChannelConfig(section) },
        make: { name, config, context in SlackAPINotifier(channel: name, config: config, context: context) })
}
