import Foundation
import VitalsCore

/// The digest as one self-contained HTML page (inline style, inline SVG, no script, nothing fetched): the same content as
/// the Markdown, with a trend chart per metric, laid out for screens and for print.
public struct HTMLRenderer: DigestRenderer {
    static let chartWidth = 160.0
    static let chartHeight = 36.0

    public init() {}

    public func render(_ digest: Digest) throws -> String {
        let local = digest.local
        let period = local.period(digest.period)
        var html = [
            "<!DOCTYPE html>",
            "<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(Self.escape("\(digest.title): \(period)"))</title>",
            "<style>\(Self.style)</style></head><body>",
            "<h1>\(Self.escape(digest.title)): \(Self.escape(period))</h1>",
            "<p class=\"score\"><strong>Score \(Self.escape(DigestText.score(digest.score)))</strong> · \(Self.escape(DigestText.sectionScores(digest)))</p>",
            "<p>Period \(Self.escape(period)) (\(Self.escape(digest.timeZone))), compared with \(Self.escape(DigestText.comparison(digest, local: local))). "
                + "Generated \(Self.escape(local.time(digest.generatedAt))).</p>",
        ]
        if !digest.unscored.isEmpty { html.append("<p>Not scored, no data: \(Self.escape(digest.unscored.joined(separator: ", "))).</p>") }
        html.append("<h2>What to look at</h2>")
        if digest.lookAt.isEmpty {
            html.append(
                "<p>"
                    + (digest.score == nil
                        ? "Nothing scored: no metric with thresholds has data in the period." : "Nothing: every scored metric is at its good mark.")
                    + "</p>")
        } else {
            html.append("<ol class=\"look-at\">")
            html += digest.lookAt.map { item in
                "<li><strong>\(Self.escape(item.name))</strong> \(Self.escape(item.valueText)) — <span class=\"grade \(item.grade.rawValue)\">\(item.grade.rawValue)</span> "
                    + "(\(Self.escape(item.thresholdText))); \(Self.escape(item.trendText)).<br>\(Self.escape(item.recommendation))</li>"
            }
            html.append("</ol>")
        }
        for section in digest.sections {
            html.append("<h2>\(Self.escape(section.title)) — \(Self.escape(DigestText.sectionScore(section.score)))</h2>")
            if section.rows.isEmpty {
                html.append("<p>No series.</p>")
            } else {
                let trend = DigestText.trendHeader(digest)
                html.append(
                    "<table><thead><tr><th>Metric</th><th>Now</th><th>Change</th><th>\(trend)</th><th>Grade</th><th>Notes</th></tr></thead><tbody>")
                html += section.rows.map { row in
                    let grade =
                        row.grade.map { "<span class=\"grade \($0.rawValue)\">\(Self.escape(DigestText.grade(row)))</span>" }
                        ?? Self.escape(DigestText.grade(row))
                    return "<tr><td>\(Self.escape(row.name))</td><td>\(Self.escape(DigestText.valueWithBreakdown(row)))</td>"
                        + "<td class=\"num\">\(Self.escape(DigestText.change(row)))</td><td>\(Self.chart(row))</td><td>\(grade)</td>"
                        + "<td>\(Self.escape(DigestText.notes(row, now: digest.generatedAt, local: local)))</td></tr>"
                }
                html.append("</tbody></table>")
            }
            if !section.sourcesWithoutData.isEmpty {
                html.append("<p>No data from: \(Self.escape(section.sourcesWithoutData.joined(separator: ", "))).</p>")
            }
        }
        if let alerts = digest.alerts {
            html.append("<h2>Alerts</h2>")
            for (title, list) in [("Firing now", alerts.firing), ("Fired and resolved in the period", alerts.resolved)] {
                html.append("<p>\(title): \(list.isEmpty ? "none." : "")</p>")
                if !list.isEmpty {
                    html.append("<ul>" + list.map { "<li>\(Self.escape(DigestText.alert($0, local: local)))</li>" }.joined() + "</ul>")
                }
            }
        }
        if !digest.delivery.deadLetters.isEmpty {
            html.append("<h2>Delivery</h2>")
            html.append("<p>\(Self.escape(DigestText.deadLettersHeading(digest.delivery, local: local)))</p>")
            html.append(
                "<ul>" + digest.delivery.deadLetters.map { "<li>\(Self.escape(DigestText.deadLetter($0, local: local)))</li>" }.joined() + "</ul>")
        }
        html.append("<h2>Sources</h2>")
        html.append(
            digest.sources.isEmpty
                ? "<p>No sources configured.</p>"
                : "<ul>" + digest.sources.map { "<li>\(Self.escape(DigestText.source($0, local: local)))</li>" }.joined() + "</ul>")
        html.append("</body></html>")
        return html.joined(separator: "\n") + "\n"
    }

    /// An inline SVG line of the row's trend, a dot per value, gaps where there is no data; a dashed baseline when none.
    static func chart(_ row: DigestRow) -> String {
        let (width, height) = (chartWidth, chartHeight)
        let known = row.trend.compactMap { $0 }
        let low = known.min() ?? 0
        let high = known.max() ?? 0
        let step = row.trend.count > 1 ? (width - 4) / Double(row.trend.count - 1) : 0
        func point(_ index: Int, _ value: Double) -> String {
            let y = high == low ? height / 2 : (height - 4) - (value - low) / (high - low) * (height - 8)
            return String(format: "%.1f,%.1f", 2 + Double(index) * step, y)
        }
        var runs: [[String]] = [[]]
        for (index, value) in row.trend.enumerated() {
            if let value { runs[runs.count - 1].append(point(index, value)) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        let lines = runs.filter { $0.count > 1 }.map { "<polyline points=\"\($0.joined(separator: " "))\"/>" }.joined()
        let dots = runs.filter { $0.count == 1 }.map { run -> String in
            let parts = run[0].split(separator: ",")
            return "<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"1.8\"/>"
        }.joined()
        let empty = known.isEmpty ? "<line class=\"none\" x1=\"2\" y1=\"\(height / 2)\" x2=\"\(width - 2)\" y2=\"\(height / 2)\"/>" : ""
        let label = known.isEmpty ? "no data" : "from \(NumberText.value(low, unit: row.unit)) to \(NumberText.value(high, unit: row.unit))"
        return "<svg class=\"chart\" data-metric=\"\(escape(row.metric))\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(row.title)) trend, \(escape(label))\">"
            + "\(empty)\(lines)\(dots)</svg>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;max-width:1100px;margin:24px auto;padding:0 16px}\
        h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}\
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:middle}\
        th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}.score{font-size:16px}\
        svg.chart{display:block}svg.chart polyline{fill:none;stroke:#0969da;stroke-width:1.5}svg.chart circle{fill:#0969da}\
        svg.chart line.none{stroke:#8c959f;stroke-dasharray:3 3}\
        .grade{padding:0 6px;border-radius:8px;white-space:nowrap}.grade.good{background:#dafbe1}.grade.warn{background:#fff8c5}.grade.bad{background:#ffebe9}\
        @media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}tr{break-inside:avoid}th{background:none}}
        """
}
