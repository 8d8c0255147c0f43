import Foundation
import VitalsCore
import VitalsPorts

/// An alert notification in Slack's mrkdwn (not Markdown: `*bold*`, and `&`, `<`, `>` escaped) with Block Kit blocks and
/// the plain `text` fallback notifications show.
enum SlackAlertText {
    static func payload(_ alert: AlertMessage) -> [String: Any] {
        let headline = "\(icon(alert.event)) *\(escape(title(alert)))*"
        let summary = alert.summary.isEmpty ? "" : "\n\(escape(alert.summary))"
        var context = ["`\(escape(alert.labels.description))`"]
        if let value = alert.value { context.append("value \(escape(formatted(value)))") }
        context.append("at \(alert.at)")
        return [
            "text": "\(headline)\(summary)",
            "blocks": [
                ["type": "section", "text": ["type": "mrkdwn", "text": "\(headline)\(summary)"]],
                ["type": "context", "elements": [["type": "mrkdwn", "text": context.joined(separator: " · ")]]],
            ],
        ]
    }

    /// `[FIRING · critical] api/HighErrorRate`.
    static func title(_ alert: AlertMessage) -> String {
        let event = alert.event.rawValue.uppercased()
        return "[\(alert.severity.map { "\(event) · \($0.rawValue)" } ?? event)] \(alert.group)/\(alert.alert)"
    }

    static func icon(_ event: AlertMessage.Event) -> String {
        switch event {
        case .firing: ":rotating_light:"
        case .reminder: ":bell:"
        case .escalated: ":arrow_double_up:"
        case .resolved: ":white_check_mark:"
        }
    }

    static func formatted(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The three characters Slack's mrkdwn asks to escape.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
