import Foundation
import VitalsCore

/// The report as Markdown: a heading with the period, one table per section, and a table of the sources.
///
/// Times are shown in the report's time zone. How fresh the data is is shown once per source (the Sources table); a row's
/// Notes say when its source failed or is stale, how much of the period the store covers and the last commit, and a section
/// names the sources that gave it no data, so missing data never reads as zero. A row's `source` label is
/// shown only where it tells rows apart: when another configured source has the same type, or the source is not configured;
/// when every row is of one repository, it is named once under the heading instead of as `repo=` in every row.
public struct MarkdownRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) throws -> String {
        let zone = TimeZone(identifier: report.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let local = LocalTimeText(timeZone: zone)
        let repositories = Set(report.sections.flatMap(\.rows).map { $0.labels["repo"] })
        let repository = repositories.count == 1 ? repositories.first ?? nil : nil
        var lines = [
            "# Project health: \(local.period(report.period))",
            "",
            "Period \(local.period(report.period)) (\(report.timeZone)), compared with \(local.period(report.previousPeriod)). "
                + "Generated \(local.time(report.generatedAt)).\(repository.map { " Repository: \($0)." } ?? "")",
        ]
        for section in report.sections {
            lines += ["", "## \(section.title)", ""]
            if section.rows.isEmpty {
                lines.append("No series.")
            } else {
                let trend = DigestText.trendHeader(bucketDays: report.trendBucketDays, extended: false)
                lines += ["| Metric | Now | Previous | Change | \(trend) | Notes |", "|:--|--:|--:|--:|:--|:--|"]
                lines += section.rows.map { row in
                    tableRow([
                        metricCell(row, sources: report.sources, impliedRepository: repository != nil), now(row), number(row.previous, row.unit), change(row),
                        "`\(row.sparkline)`", DigestText.notes(row, now: report.generatedAt, local: local),
                    ])
                }
            }
            if !section.sourcesWithoutData.isEmpty {
                lines += ["", "No data from: \(section.sourcesWithoutData.joined(separator: ", "))."]
            }
        }
        lines += ["", "## Sources", ""]
        if report.sources.isEmpty {
            lines.append("No sources configured.")
        } else {
            lines += ["| Source | Type | Last run | Status | Samples | Error |", "|:--|:--|:--|:--|--:|:--|"]
            lines += report.sources.map { source in
                tableRow([
                    source.name, source.type, source.lastRunAt.map(local.time) ?? "never", status(source),
                    source.samplesWritten.map { NumberText.grouped(Double($0), decimals: 0) } ?? "–", source.error ?? "",
                ])
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func metricCell(_ row: ReportRow, sources: [SourceReport], impliedRepository: Bool) -> String {
        let type = sources.first { $0.name == row.source }?.type
        let implied = row.labels["source"] == row.source && sources.count { $0.type == type } == 1
        let labels = row.labels.pairs
            .filter { (!implied || $0.name != "source") && (!impliedRepository || $0.name != "repo") }
            .map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        return labels.isEmpty ? row.title : "\(row.title) (\(labels))"
    }

    /// The value, as a distribution's median, 90th percentile and count, or with a success ratio's counts.
    private func now(_ row: ReportRow) -> String {
        if let distribution = row.distribution { return DigestText.distribution(distribution, unit: row.unit, items: nil) }
        // As a digest says it: a real zero is `0`, missing data never is.
        guard row.value != nil else { return "no data" }
        let value = number(row.value, row.unit)
        return row.counts.map { "\(value) (\(DigestText.counts($0)))" } ?? value
    }

    private func number(_ value: Double?, _ unit: MetricUnit) -> String {
        value.map { NumberText.value($0, unit: unit) } ?? "–"
    }

    private func change(_ row: ReportRow) -> String {
        row.change.map { NumberText.change($0, ratio: row.changeRatio, unit: row.unit) } ?? "–"
    }

    private func status(_ source: SourceReport) -> String {
        let text = source.status.rawValue.replacingOccurrences(of: "_", with: " ")
        return source.stale ? "\(text), **stale**" : (source.status == .failed ? "**failed**" : text)
    }

    private func tableRow(_ cells: [String]) -> String {
        let escaped = cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        return "| " + escaped.joined(separator: " | ") + " |"
    }
}
