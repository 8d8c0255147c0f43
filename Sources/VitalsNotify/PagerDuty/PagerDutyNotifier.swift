public import Foundation
import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// Sends alerts to PagerDuty's Events API v2 (`POST /v2/enqueue`): firing, reminders and escalations `trigger` (PagerDuty
/// folds them into one alert by `dedup_key`), a resolve `resolve`s it. The `dedup_key` is the alert's fingerprint.
///
/// 202 is delivered; 400 (an invalid event) is rejected with PagerDuty's `errors`; 429 and 5xx are retried. Reports are
/// not PagerDuty events: they are rejected.
public struct PagerDutyNotifier: Notifier {
    public let channel: String
    public let config: PagerDutyChannelConfig
    let context: NotifierContext

    public init(channel: String, config: PagerDutyChannelConfig, context: NotifierContext) {
        self.channel = channel
        self.config = config
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        do throws(Undelivered) {
            guard case .alert(let alert) = message.payload else {
                throw .reject(DeliveryFailure(status: nil, "PagerDuty takes alerts only; send reports to a chat, email or webhook channel"))
            }
            let routingKey = try context.secret(config.routingKeyEnv, key: "routing_key_env")
            let delivery = context.delivery(secrets: [routingKey])
            let request = HTTPRequest(
                method: "POST", url: config.baseURL.appendingPathComponent("v2/enqueue"), headers: ["Content-Type": "application/json"],
                body: Self.event(alert, routingKey: routingKey))
            let response = try await delivery.send(request)
            try delivery.accept(response, "PagerDuty", explain: Self.errors)
            return .delivered(status: response.status)
        } catch {
            return error.outcome
        }
    }

    /// The event: `trigger` with a payload, or `resolve` with only the key.
    static func event(_ alert: AlertMessage, routingKey: String) -> Data {
        var event: [String: Any] = ["routing_key": routingKey, "dedup_key": dedupKey(alert), "client": "vitals"]
        guard alert.event != .resolved else {
            event["event_action"] = "resolve"
            return HTTPDelivery.json(event)
        }
        let text = AlertText(alert)
        var details: [String: Any] = ["event": alert.event.rawValue, "group": alert.group, "alert": alert.alert, "labels": alert.labels.dictionary]
        if let value = alert.value { details["value"] = AlertText.number(value) }
        if !alert.summary.isEmpty { details["summary"] = alert.summary }
        event["event_action"] = "trigger"
        event["payload"] = [
            "summary": String((alert.summary.isEmpty ? text.headline : "\(text.headline): \(alert.summary)").prefix(1024)),
            "source": alert.labels["repo"] ?? alert.labels["source"] ?? "vitals",
            "severity": severity(alert.severity),
            "timestamp": alert.at.description,
            "group": alert.group,
            "class": alert.alert,
            "custom_details": details,
        ]
        return HTTPDelivery.json(event)
    }

    /// PagerDuty's severities are critical, error, warning and info; an alert without one is an error (as Alertmanager sends).
    static func severity(_ severity: Severity?) -> String {
        switch severity {
        case .critical: "critical"
        case .warning: "warning"
        case .info: "info"
        case nil: "error"
        }
    }

    /// The fingerprint, or, past PagerDuty's 255 characters, its SHA-256 (the same for the same alert all the same).
    static func dedupKey(_ alert: AlertMessage) -> String {
        let fingerprint = alert.fingerprint
        guard fingerprint.utf8.count > 255 else { return fingerprint }
        return "vitals:sha256:" + Fingerprints.sha256(fingerprint)
    }

    /// What PagerDuty said: `message` and `errors` of a 400, else the start of the body.
    static func errors(_ response: HTTPResponse) -> String {
        guard let answer = HTTPDelivery.object(response.body) else { return HTTPDelivery.excerpt(response) }
        let message = answer["message"] as? String ?? ""
        let errors = (answer["errors"] as? [Any])?.map { "\($0)" }.joined(separator: "; ") ?? ""
        return [message, errors].filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

extension PagerDutyNotifier {
    /// `type: pagerduty` in `channels:`: the settings read by its config, the notifier made from them.
    public static let definition = ChannelDefinition(
        type: PagerDutyChannelConfig.type, read: { section throws(ConfigError) in try PagerDutyChannelConfig(section) },
        make: { name, config, context in PagerDutyNotifier(channel: name, config: config, context: context) })
}
