import Foundation
import VitalsCore
import VitalsPorts

/// Outbox messages as the dispatcher hands them to a notifier.
enum Messages {
    static let at = Timestamp(milliseconds: 1_795_939_200_000)

    static func alertMessage(
        _ event: AlertMessage.Event = .firing, severity: Severity? = .warning, summary: String = "Line coverage fell to 61% <below 70%> & falling",
        labels: Labels = ["repo": "acme/shop", "source": "coverage"], alert: String = "CoverageLow"
    ) -> AlertMessage {
        AlertMessage(group: "quality", alert: alert, labels: labels, event: event, severity: severity, value: 0.61, summary: summary, at: at)
    }

    static func alert(
        _ event: AlertMessage.Event = .firing, severity: Severity? = .warning, id: Int64 = 1,
        summary: String = "Line coverage fell to 61% <below 70%> & falling",
        labels: Labels = ["repo": "acme/shop", "source": "coverage"], alert: String = "CoverageLow"
    ) -> OutboxMessage {
        let message = alertMessage(event, severity: severity, summary: summary, labels: labels, alert: alert)
        return OutboxMessage(id: id, idempotencyKey: "alert:\(message.fingerprint):\(event.rawValue)", payload: .alert(message), createdAt: at)
    }

    static func report(slack payloads: [String] = [#"{"text":"Daily report","blocks":[]}"#], id: Int64 = 7) -> OutboxMessage {
        let bodies = [
            "md": "# Daily report · 2026-11-28\n\n.a line that starts with a dot\n\nScore 82 ✓",
            "html": "<!DOCTYPE html><html><body><h1>Daily report · 2026-11-28</h1></body></html>",
            "json": #"{"schema_version":2}"#,
            "slack": "[" + payloads.joined(separator: ",") + "]",
        ]
        return OutboxMessage(
            id: id, idempotencyKey: "report:daily:2026-11-28",
            payload: .report(ReportMessage(name: "daily", title: "Daily report · 2026-11-28", bodies: bodies)),
            createdAt: at)
    }

    /// The JSON object of a request body.
    static func object(_ body: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    static func json(_ object: Any) -> Data {
        try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
