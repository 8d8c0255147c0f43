public import Foundation
public import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// A Slack incoming webhook (`type: slack`, `webhook_url_env`): an alert as one message (mrkdwn text and blocks), a report
/// as the messages of its `slack` body in order (a webhook cannot start threads, so follow-ups are further messages).
///
/// Slack answers a webhook with a plain-text status: `ok`, or an error string such as `invalid_blocks` (400),
/// `channel_not_found` (404) or `channel_is_archived` (410), which will never succeed and dead-letter the message with
/// Slack's words; 429 (with `Retry-After`) and 5xx are tried again.
public struct SlackWebhookChannel: Notifier {
    public static let definition = ChannelDefinition(type: .slack) { config, context in SlackWebhookChannel(config: config, context: context) }

    public let channel: String
    let config: ChannelConfig
    let context: ChannelContext

    public init(config: ChannelConfig, context: ChannelContext) {
        channel = config.name
        self.config = config
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        guard let secret = context.secret("webhook_url_env", of: config) else {
            let variable = config.secretEnv["webhook_url_env"] ?? "webhook_url_env"
            return .retry(DeliveryFailure(status: nil, "the environment variable \(variable) (webhook_url_env) is not set"), retryAfter: nil)
        }
        guard let url = URL(string: secret), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            let variable = config.secretEnv["webhook_url_env"] ?? "webhook_url_env"
            return .reject(DeliveryFailure(status: nil, "the environment variable \(variable) does not hold an http(s) URL (not repeated here)"))
        }
        let payloads: [Data]
        do {
            payloads = try Self.payloads(of: message)
        } catch {
            return .reject(DeliveryFailure(status: nil, "the report's slack body is not a JSON array of messages: \(error)"))
        }
        var status: Int?
        for payload in payloads {
            let outcome = await post(payload, to: url)
            guard case .delivered(let code) = outcome else { return outcome }
            status = code
        }
        return .delivered(status: status)
    }

    func post(_ payload: Data, to url: URL) async -> DeliveryOutcome {
        let request = HTTPRequest(method: "POST", url: url, headers: ["Content-Type": "application/json; charset=utf-8"], body: payload, urlIsSecret: true)
        let response: HTTPResponse
        do {
            response = try await context.client.send(request) { _ in true }
        } catch {
            let failure = DeliveryFailure(status: error.status, error.description)
            return error.code == .invalidRequest ? .reject(failure) : .retry(failure, retryAfter: nil)
        }
        if response.isSuccess { return .delivered(status: response.status) }
        let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let failure = DeliveryFailure(status: response.status, text.isEmpty ? "HTTP \(response.status)" : text)
        if response.status == 429 || response.status >= 500 {
            return .retry(failure, retryAfter: context.client.retryAfter(response).map { TimeSpan($0) })
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
