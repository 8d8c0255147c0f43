import Foundation
import VitalsCore

/// The digest as GitHub-flavoured Markdown: verdict first (score, what to look at), then one table per section, the
/// alerts, and each source's freshness once.
public struct DigestMarkdownRenderer: DigestRenderer {
    public init() {}

    public func render(_ digest: Digest) throws -> String {
        let local = digest.local
        var lines = [
            "# \(digest.title): \(local.period(digest.period))",
            "",
            "**Score \(DigestText.score(digest.score))** · \(DigestText.sectionScores(digest))",
            "",
            "Period \(local.period(digest.period)) (\(digest.timeZone)), compared with \(DigestText.comparison(digest, local: local)). "
                + "Generated \(local.time(digest.generatedAt)).",
        ]
        if !digest.unscored.isEmpty { lines += ["", "Not scored, no data: \(digest.unscored.joined(separator: ", "))."] }
        lines += ["", "## What to look at", ""]
        if digest.lookAt.isEmpty {
            lines.append(
                digest.score == nil
                    ? "Nothing scored: no metric with thresholds has data in the period." : "Nothing: every scored metric is at its good mark.")
        } else {
            for (index, item) in digest.lookAt.enumerated() {
                lines.append("\(index + 1). \(item.summary)")
                lines.append("   \(item.recommendation)")
            }
        }
        for section in digest.sections {
            lines += ["", "## \(section.title) — \(DigestText.sectionScore(section.score))", ""]
            if section.rows.isEmpty {
                lines.append("No series.")
            } else {
                let trendHeader = DigestText.trendHeader(digest)
                lines += ["| Metric | Now | Change | \(trendHeader) | Grade | Notes |", "|:--|:--|--:|:--|:--|:--|"]
                lines += section.rows.map { row in
                    tableRow([
                        row.name, DigestText.valueWithBreakdown(row), DigestText.change(row), "`\(row.sparkline)`", DigestText.grade(row),
                        DigestText.notes(row, now: digest.generatedAt, local: local),
                    ])
                }
            }
            if !section.sourcesWithoutData.isEmpty { lines += ["", "No data from: \(section.sourcesWithoutData.joined(separator: ", "))."] }
        }
        if let alerts = digest.alerts {
            lines += ["", "## Alerts", ""]
            lines.append("Firing now: \(alerts.firing.isEmpty ? "none." : "")")
            lines += alerts.firing.map { "- \(DigestText.alert($0, local: local))" }
            lines += ["", "Fired and resolved in the period: \(alerts.resolved.isEmpty ? "none." : "")"]
            lines += alerts.resolved.map { "- \(DigestText.alert($0, local: local))" }
        }
        if !digest.delivery.deadLetters.isEmpty {
            lines += ["", "## Delivery", "", DigestText.deadLettersHeading(digest.delivery, local: local)]
            lines += digest.delivery.deadLetters.map { "- \(DigestText.deadLetter($0, local: local))" }
        }
        lines += ["", "## Sources", ""]
        lines += digest.sources.isEmpty ? ["No sources configured."] : digest.sources.map { "- \(DigestText.source($0, local: local))" }
        return lines.joined(separator: "\n") + "\n"
    }

    private func tableRow(_ cells: [String]) -> String {
        let escaped = cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        return "| " + escaped.joined(separator: " | ") + " |"
    }
}
