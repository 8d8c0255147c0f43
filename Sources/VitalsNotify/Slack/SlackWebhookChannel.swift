public import Foundation
public import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// A Slack incoming webhook (`type: slack`, `webhook_url_env`): an alert as one message (mrkdwn text and blocks), a report
/// as the messages of its `slack` body in order (a webhook cannot start threads, so follow-ups are further messages); a
/// report that failed halfway continues with its next message, also after a restart (the dispatcher keeps the count).
///
/// Slack answers a webhook with a plain-text status: `ok`, or an error string such as `invalid_blocks` (400),
/// `channel_not_found` (404) or `channel_is_archived` (410), which will never succeed and dead-letter the message with
/// Slack's words; 429 (with `Retry-After`) and 5xx are tried again.
public struct SlackWebhookChannel: Notifier {
    public static let definition = ChannelDefinition(
        type: "slack", defaultMinInterval: .seconds(1),
        read: { section throws(ConfigError) in
            let values = try ChannelSettings.values(section, keys: ["webhook_url_env"])
            return try ChannelSettings.variable("webhook_url_env", in: values, of: section, example: "SLACK_WEBHOOK_URL")
        },
        make: { name, variable, context in SlackWebhookChannel(channel: name, webhookURLEnv: variable, context: context) })

    public let channel: String
    /// The variable holding the webhook's URL (`webhook_url_env`): the URL is the secret.
    public let webhookURLEnv: String
    let context: NotifierContext

    public init(channel: String, webhookURLEnv: String, context: NotifierContext) {
        self.channel = channel
        self.webhookURLEnv = webhookURLEnv
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        await deliver(message, resuming: nil) { _ in }
    }

    /// Posts the parts after those `progress` counts, handing `record` the count after each one Slack accepted.
    public func deliver(
        _ message: OutboxMessage, resuming progress: DeliveryProgress?, record: @escaping @Sendable (DeliveryProgress) async throws -> Void
    ) async -> DeliveryOutcome {
        let secret: String
        do throws(Undelivered) {
            secret = try context.secret(webhookURLEnv, key: "webhook_url_env")
        } catch {
            return error.outcome
        }
        guard let url = URL(string: secret), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            return .reject(DeliveryFailure(status: nil, "the environment variable \(webhookURLEnv) does not hold an http(s) URL (not repeated here)"))
        }
        let payloads: [Data]
        do {
            payloads = try Self.payloads(of: message)
        } catch {
            return .reject(DeliveryFailure(status: nil, "the report's slack body is not a JSON array of messages: \(error)"))
        }
        let delivery = context.delivery(secrets: [secret])
        var status: Int?
        for (index, payload) in payloads.enumerated().dropFirst(progress?.partsDelivered ?? 0) {
            let outcome = await post(payload, to: url, delivery: delivery)
            guard case .delivered(let code) = outcome else { return outcome }
            status = code
            guard index + 1 < payloads.count else { break }
            do {
                try await record(DeliveryProgress(partsDelivered: index + 1, thread: nil))
            } catch {
                return .retry(DeliveryFailure(status: nil, "the report's progress could not be recorded: \(error)"), retryAfter: nil)
            }
        }
        return .delivered(status: status)
    }

    func post(_ payload: Data, to url: URL, delivery: HTTPDelivery) async -> DeliveryOutcome {
        let request = HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/json; charset=utf-8"], body: payload, urlIsSecret: true)
        let response: HTTPResponse
        do throws(Undelivered) {
            response = try await delivery.send(request)
        } catch {
            return error.outcome
        }
        if response.isSuccess { return .delivered(status: response.status) }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let failure = delivery.failure(status: response.status, text.isEmpty ? "HTTP \(response.status)" : text)
        if response.status == 429 || response.status >= 500 {
            return delivery.retry(failure, response).outcome
        }
        return .reject(failure)
    }

    /// The JSON bodies to post, in order.
    static func payloads(of message: OutboxMessage) throws -> [Data] {
        switch message.payload {
        case .alert(let alert):
            return [try JSONSerialization.data(withJSONObject: SlackAlertText.payload(alert), options: [.sortedKeys, .withoutEscapingSlashes])]
        case .report(let report):
            guard let body = report.bodies["slack"] else {
                return [try JSONSerialization.data(withJSONObject: ["text": SlackAlertText.escape(report.title)], options: [.sortedKeys])]
            }
            guard let messages = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [Any], !messages.isEmpty else {
                throw SlackPayloadError()
            }
            return try messages.map { message in
                guard message is [String: Any] else { throw SlackPayloadError() }
                return try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys, .withoutEscapingSlashes])
            }
        }
    }
}

struct SlackPayloadError: Error, CustomStringConvertible {
    var description: String { "expected a non-empty array of objects" }
}
