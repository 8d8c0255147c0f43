import Foundation
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// The text the `alerts` commands print: one line per item, aligned, times in RFC 3339 UTC.
enum AlertsText {
    static func round(_ result: AlertRoundResult) -> String {
        var lines: [String] = []
        if result.evaluated.isEmpty { lines.append("no group due at \(result.now)") }
        for group in result.evaluated {
            let missed = group.missedSlots == 0 ? "" : " (\(group.missedSlots) slot\(group.missedSlots == 1 ? "" : "s") missed)"
            lines.append("evaluated \(group.group) at \(group.at)\(missed)")
        }
        for group in result.notDue { lines.append("not due: \(group.group) (next at \(group.dueAt))") }
        let transitions = result.rules.flatMap { outcome in outcome.transitions.map { (outcome.rule, $0) } }
        lines.append(transitions.isEmpty ? "no transitions" : "transitions:")
        lines += table(transitions.map { rule, transition in [rule.description, "\(transition.labels)", change(transition), details(transition)] })
        let queued = result.notifications
        if !queued.isEmpty {
            lines.append("queued in the outbox:")
            lines += table(queued.map { [$0.notification.kind.rawValue, $0.summary, $0.notification.idempotencyKey] })
        }
        let held = result.rules.flatMap(\.held)
        if !held.isEmpty {
            lines.append("held:")
            lines += table(
                held.map { ["\($0.notification.kind.rawValue) (\($0.reason.rawValue))", "\($0.notification.alert) \($0.notification.labels)"] })
        }
        for outcome in result.rules where !outcome.noData.isEmpty {
            lines.append("no data: \(outcome.rule) \(outcome.noData.map(\.description).joined(separator: " "))")
        }
        for outcome in result.rules {
            if let error = outcome.error { lines.append("error: \(outcome.rule): \(error)") }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    static func active(_ alerts: [StoredAlert]) -> String {
        guard !alerts.isEmpty else { return "no alerts firing or pending\n" }
        let rows = alerts.map { alert -> [String] in
            let since = alert.instance.phase == .firing ? alert.instance.firedAt : alert.instance.activeAt
            return [
                alert.instance.phase.rawValue, alert.rule.description, "\(alert.instance.labels)", since.map { "\($0)" } ?? "-",
                alert.instance.value.map { "\($0)" } ?? "-", alert.instance.severity?.rawValue ?? "-",
            ]
        }
        return table([["STATE", "ALERT", "LABELS", "SINCE", "VALUE", "SEVERITY"]] + rows, indent: "").map { $0 + "\n" }.joined()
    }

    static func history(_ entries: [AlertHistoryEntry], since: Timestamp) -> String {
        guard !entries.isEmpty else { return "no alert transitions since \(since)\n" }
        let rows = entries.map {
            ["\($0.transition.at)", $0.rule.description, "\($0.transition.labels)", change($0.transition), details($0.transition)]
        }
        return table([["TIME", "ALERT", "LABELS", "CHANGE", "DETAILS"]] + rows, indent: "").map { $0 + "\n" }.joined()
    }

    static func silences(_ silences: [Silence], now: Timestamp) -> String {
        guard !silences.isEmpty else { return "no silences\n" }
        let rows = silences.map { silence -> [String] in
            let state = silence.endsAt <= now ? "expired" : silence.startsAt > now ? "scheduled" : "active"
            return [
                silence.id, state, "\(silence.startsAt)", "\(silence.endsAt)", silence.matchers.map(\.description).joined(separator: ","),
                silence.createdBy, silence.comment,
            ]
        }
        return table([["ID", "STATE", "STARTS", "ENDS", "MATCHERS", "BY", "COMMENT"]] + rows, indent: "").map { $0 + "\n" }.joined()
    }

    static func change(_ transition: AlertTransition) -> String {
        switch transition.kind {
        case .phase: "\(transition.from.rawValue)→\(transition.to.rawValue)"
        case .severityRaised, .severityLowered: transition.kind.rawValue
        }
    }

    static func details(_ transition: AlertTransition) -> String {
        [transition.severity.map { "severity \($0.rawValue)" }, transition.value.map { "value \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    /// Left-aligned columns two spaces apart, each row after `indent`; the last column is not padded.
    static func table(_ rows: [[String]], indent: String = "  ") -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
        .map { indent + $0 }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
