import Crypto
public import Foundation
import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// POSTs each message as JSON (``WebhookBody``) to a URL kept in the environment. With a secret, the body is signed:
/// the signature header holds `sha256=` and the hex HMAC-SHA256 of the exact body bytes, keyed with the secret. The
/// `X-Vitals-Idempotency-Key` header repeats the message's key, so a receiver can drop a redelivery.
///
/// 2xx is delivered; 408, 429 and 5xx are retried (not before `Retry-After`); every other 4xx is rejected.
public struct WebhookNotifier: Notifier {
    public let channel: String
    public let config: WebhookChannelConfig
    let context: NotifierContext

    public init(channel: String, config: WebhookChannelConfig, context: NotifierContext) {
        self.channel = channel
        self.config = config
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        do throws(Undelivered) {
            let address = try context.secret(config.urlEnv, key: "url_env")
            let secret = try config.secretEnv.map { variable throws(Undelivered) in
                try context.secret(variable, key: "secret_env")
            }
            guard let url = URL(string: address), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                throw .reject(DeliveryFailure(status: nil, "the environment variable \(config.urlEnv) (url_env) does not hold an http or https URL"))
            }
            // The URL's path and query are as secret as the whole (a receiver may echo the path it was asked for).
            let parts = [url.path, url.query ?? ""].filter { $0.count > 1 }
            let delivery = context.delivery(secrets: [address] + parts + (secret.map { [$0] } ?? []))
            let body = WebhookBody(message).encoded()
            var headers: HTTPHeaders = ["Content-Type": "application/json", "X-Vitals-Idempotency-Key": message.idempotencyKey]
            if let secret { headers.set(config.signatureHeader, Self.signature(of: body, secret: secret)) }
            let response = try await delivery.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body, urlIsSecret: true))
            try delivery.accept(response, "webhook")
            return .delivered(status: response.status)
        } catch {
            return error.outcome
        }
    }

    /// `sha256=<hex>`: the HMAC-SHA256 of `body` keyed with the secret's UTF-8 bytes.
    static func signature(of body: Data, secret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).hex
    }
}

/// The JSON a webhook receives (documented in `docs/channels.md`): `version`, the message's `id`, `idempotency_key`,
/// `created_at`, `kind`, and `alert` or `report`.
struct WebhookBody: Encodable {
    let version = 1
    let id: Int64
    let idempotencyKey: String
    let createdAt: String
    let kind: String
    let alert: Alert?
    let report: Report?

    struct Alert: Encodable {
        let group: String
        let alert: String
        let labels: [String: String]
        let event: String
        let severity: String?
        let value: Double?
        let summary: String
        let at: String
        let fingerprint: String
    }

    struct Report: Encodable {
        let name: String
        let title: String
        /// The report in each format it was rendered in, by format name (`md`, `json`, `slack`, `html`).
        let bodies: [String: String]
    }

    init(_ message: OutboxMessage) {
        id = message.id
        idempotencyKey = message.idempotencyKey
        createdAt = message.createdAt.description
        switch message.payload {
        case .alert(let alert):
            kind = "alert"
            self.alert = Alert(
                group: alert.group, alert: alert.alert, labels: alert.labels.dictionary, event: alert.event.rawValue,
                severity: alert.severity?.rawValue, value: alert.value.flatMap { $0.isFinite ? $0 : nil }, summary: alert.summary,
                at: alert.at.description, fingerprint: alert.fingerprint)
            report = nil
        case .report(let report):
            kind = "report"
            alert = nil
            self.report = Report(name: report.name, title: report.title, bodies: report.bodies)
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, id, kind, alert, report
        case idempotencyKey = "idempotency_key"
        case createdAt = "created_at"
    }

    /// Keys sorted and absent fields left out, so the same message makes the same bytes.
    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}

extension WebhookNotifier {
    /// `type: webhook` in `channels:`: the settings read by its config, the notifier made from them.
    public static let definition = ChannelDefinition(
        type: WebhookChannelConfig.type, read: { section throws(ConfigError) in try WebhookChannelConfig(section) },
        make: { name, config, context in WebhookNotifier(channel: name, config: config, context: context) })
}
