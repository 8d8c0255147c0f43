import Foundation
import VitalsCore
import VitalsPorts

/// An alert notification in words, for the channels people read (chat, mail, issue trackers): one content, written in
/// each markup a channel needs.
struct AlertText {
    let alert: AlertMessage

    init(_ alert: AlertMessage) {
        self.alert = alert
    }

    /// What happened, in a word or two.
    var event: String {
        switch alert.event {
        case .firing: "Firing"
        case .reminder: "Still firing"
        case .escalated: "Escalated"
        case .resolved: "Resolved"
        }
    }

    /// `Firing: CoverageLow (warning)`: a subject line, a notification's first line.
    var headline: String {
        "\(event): \(alert.alert)" + (alert.severity.map { " (\($0.rawValue))" } ?? "")
    }

    /// The facts below the summary, in order: group, value, labels, time.
    var facts: [(name: String, value: String)] {
        var facts = [(name: "Group", value: alert.group)]
        if let value = alert.value { facts.append(("Value", Self.number(value))) }
        if !alert.labels.isEmpty { facts.append(("Labels", alert.labels.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))) }
        facts.append(("At", alert.at.description))
        return facts
    }

    /// The headline and the summary on one line each, with no markup: Slack's notification text, a plain fallback.
    var plain: String { alert.summary.isEmpty ? headline : "\(headline)\n\(alert.summary)" }

    /// GitHub-flavoured Markdown: mail's text/plain part, an issue's body.
    var markdown: String {
        var lines = ["**\(headline)**", ""]
        if !alert.summary.isEmpty { lines += [alert.summary, ""] }
        lines += facts.map { $0.name == "Labels" ? "- \($0.name): `\($0.value)`" : "- \($0.name): \($0.value)" }
        return lines.joined(separator: "\n")
    }

    /// Slack's mrkdwn, which is not Markdown: `*bold*`, and `&`, `<`, `>` escaped so no text becomes a link or a mention.
    var slackMrkdwn: String {
        var lines = ["*\(Self.slackEscaped(headline))*"]
        if !alert.summary.isEmpty { lines.append(Self.slackEscaped(alert.summary)) }
        lines.append(facts.map { "*\($0.name)* \(Self.slackEscaped($0.value))" }.joined(separator: " · "))
        return lines.joined(separator: "\n")
    }

    /// A small self-contained HTML document: mail's text/html part.
    var html: String {
        let rows = facts.map { "<tr><th align=\"left\">\(Self.htmlEscaped($0.name))</th><td>\(Self.htmlEscaped($0.value))</td></tr>" }
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(Self.htmlEscaped(headline))</title></head>
            <body>
            <h1>\(Self.htmlEscaped(headline))</h1>
            \(alert.summary.isEmpty ? "" : "<p>\(Self.htmlEscaped(alert.summary))</p>")
            <table>\(rows.joined())</table>
            </body></html>
            """
    }

    /// A value as people read it: `3`, `0.25`, `1.5e+09`.
    static func number(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return String(value) }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(format: "%.6g", value)
    }

    static func slackEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func htmlEscaped(_ text: String) -> String {
        slackEscaped(text).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
