import Foundation
import VitalsCore

/// The phrases every digest renderer shares, so Markdown, Slack and HTML say the same thing.
enum DigestText {
    /// What the raw counts of a ratio count, where it is not lines.
    static let countedThings = ["github_workflow_success_ratio": "runs", "probe_success": "checks", "dora_change_failure_ratio": "deployments"]

    /// The row's value in its unit with the raw counts of a ratio (`62.0% (620/1,000)`, `92.0% (46/50 runs)`), a
    /// distribution's median, 90th percentile and count (`median 1.5 d · p90 4 d (37 PRs)`) and a DORA level; `no data`
    /// when it has none.
    static func value(_ row: DigestRow) -> String {
        guard let value = row.value else { return "no data" }
        var text = NumberText.value(value, unit: row.unit)
        if let distribution = row.distribution {
            text = self.distribution(distribution, unit: row.unit, items: distribution.count == 1 ? row.item : row.items)
        } else if let counts = row.counts {
            text += " (\(self.counts(counts))\(countedThings[row.metric].map { " \($0)" } ?? ""))"
        }
        return row.dora.map { "\(text) · DORA \($0.level.rawValue)" } ?? text
    }

    /// `median 1.5 d · p90 4 d (37 PRs)`.
    static func distribution(_ distribution: Distribution, unit: MetricUnit, items: String?) -> String {
        "median \(NumberText.value(distribution.median, unit: unit)) · p90 \(NumberText.value(distribution.p90, unit: unit)) "
            + "(\(NumberText.value(Double(distribution.count), unit: .count))\(items.map { " \($0)" } ?? ""))"
    }

    static func counts(_ counts: RawCounts) -> String {
        "\(NumberText.grouped(counts.numerator, decimals: 0))/\(NumberText.grouped(counts.denominator, decimals: 0))"
    }

    static func count(_ value: Double?) -> String {
        value.map { NumberText.value($0, unit: .count) } ?? "no data"
    }

    /// `TODO 23 · XXX 2`: the breakdown entries with a value in the period, label values upper-cased for kinds.
    static func breakdown(_ row: DigestRow) -> String {
        // The first label's entries add up to the value; a second breakdown of the same things (findings by severity
        // beside findings by level) follows in parentheses, so it is never read as more of them.
        var labels: [String] = []
        for entry in row.breakdown where !labels.contains(entry.label) { labels.append(entry.label) }
        let parts = labels.map { label in
            row.breakdown.filter { $0.label == label && $0.now != nil }.map { entry in
                "\(label == "kind" ? entry.value.uppercased() : entry.value) \(NumberText.value(entry.now!, unit: row.unit))"
            }.joined(separator: " · ")
        }
        guard let first = parts.first else { return "" }
        let others = zip(labels, parts).dropFirst().filter { !$0.1.isEmpty }.map { "(\($0.0): \($0.1))" }
        return ([first] + others).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The value with its breakdown: `25 · TODO 23 · XXX 2`.
    static func valueWithBreakdown(_ row: DigestRow) -> String {
        let parts = breakdown(row)
        return parts.isEmpty ? value(row) : "\(value(row)) · \(parts)"
    }

    /// `good ≥ 80.0% · warn ≥ 70.0% · bad ≤ 50.0%`.
    static func threshold(_ threshold: MetricThreshold, unit: MetricUnit) -> String {
        let (toward, away) = threshold.better == .higher ? ("≥", "≤") : ("≤", "≥")
        return "good \(toward) \(NumberText.value(threshold.good, unit: unit)) · warn \(toward) \(NumberText.value(threshold.warn, unit: unit)) · "
            + "bad \(away) \(NumberText.value(threshold.bad, unit: unit))"
    }

    /// The change since the comparison period: `−2.1 pp vs 2026-11-17`, or why there is none.
    static func trend(_ row: DigestRow, comparison: String) -> String {
        guard let change = row.change else { return row.previous == nil ? "no data for \(comparison)" : "no data now" }
        return "\(NumberText.change(change, ratio: row.changeRatio, unit: row.unit)) vs \(comparison)"
    }

    static func change(_ row: DigestRow) -> String {
        row.change.map { NumberText.change($0, ratio: row.changeRatio, unit: row.unit) } ?? "–"
    }

    /// `warn · 40`: the grade and score of a scored row; empty for one without threshold.
    static func grade(_ row: DigestRow) -> String {
        guard let grade = row.grade, let score = row.score else { return row.threshold == nil ? "" : "not scored (no data)" }
        return "\(grade.rawValue) · \(Int(score.rounded()))"
    }

    /// What a reader must know to trust the row: how much of the period the store covers, the last commit, a failed or
    /// stale source. Empty when there is nothing to add.
    static func notes(_ row: DigestRow, now: Timestamp, local: LocalTimeText) -> String {
        notes(status: row.status, detail: row.statusDetail, history: row.history, lastEventAt: row.lastEventAt, now: now, local: local)
    }

    /// The same notes for a row of the unnamed report.
    static func notes(_ row: ReportRow, now: Timestamp, local: LocalTimeText) -> String {
        notes(status: row.status, detail: row.statusDetail, history: row.history, lastEventAt: row.lastEventAt, now: now, local: local)
    }

    private static func notes(
        status: RowStatus, detail: String?, history: HistoryCoverage?, lastEventAt: Timestamp?, now: Timestamp, local: LocalTimeText
    ) -> String {
        var notes: [String] = []
        if status == .failed || status == .stale, let detail { notes.append("\(status.rawValue): \(detail)") }
        if let history, !history.complete {
            if let from = history.from {
                notes.append("partial: history from \(local.date(from)): \(history.daysCovered) of \(history.daysInPeriod) days")
            } else if status != .failed, status != .stale {
                notes.append("no samples in the period")
            }
        }
        if let last = lastEventAt {
            let days = (now.milliseconds - last.milliseconds) / 86_400_000
            notes.append("last commit \(local.date(last)) (\(days == 0 ? "today" : "\(days) day\(days == 1 ? "" : "s") ago"))")
        }
        return notes.joined(separator: "; ")
    }

    /// `2h 05m`, `3d 4h`, `45s`.
    static func duration(_ seconds: Int64) -> String {
        let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes < 10 ? "0" : "")\(minutes)m" }
        return minutes > 0 ? "\(minutes)m" : "\(seconds)s"
    }

    /// The heading of the trend column: `Trend`, `Trend (weekly)`, or `Trend (28 days)` when it reaches before the period.
    static func trendHeader(_ digest: Digest) -> String {
        trendHeader(bucketDays: digest.trendBucketDays, extended: digest.trendPeriod != digest.period)
    }

    /// The same for a trend over `bucketDays` days a value, `extended` to ``DigestBuilder/shortestTrend`` days.
    static func trendHeader(bucketDays: Int, extended: Bool) -> String {
        let weekly = bucketDays == 1 ? nil : bucketDays == 7 ? "weekly" : "per \(bucketDays / 7) weeks"
        let days = extended ? "\(DigestBuilder.shortestTrend) days" : nil
        let notes = [days, weekly].compactMap { $0 }
        return notes.isEmpty ? "Trend" : "Trend (\(notes.joined(separator: ", ")))"
    }

    /// What a score without any scored row says.
    static let noScore = "no metric with data"

    /// `72/100`, or `– (no metric with data)` when nothing was scored: what follows `Score`.
    static func score(_ score: Int?) -> String {
        score.map { "\($0)/100" } ?? "– (\(noScore))"
    }

    /// `72/100`, or `no metric with data`: what follows a section's title and its dash.
    static func sectionScore(_ score: Int?) -> String {
        score.map { "\($0)/100" } ?? noScore
    }

    /// `Code quality 65 · Velocity –`.
    static func sectionScores(_ digest: Digest) -> String {
        digest.sections.map { "\($0.title) \($0.score.map(String.init) ?? "–")" }.joined(separator: " · ")
    }

    static func alert(_ alert: DigestAlert, local: LocalTimeText) -> String {
        let labels = alert.labels.pairs.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
        let severity = alert.severity.map { " [\($0)]" } ?? ""
        let span =
            alert.resolvedAt.map { "fired \(local.time(alert.firedAt)), resolved \(local.time($0))" } ?? "firing since \(local.time(alert.firedAt))"
        return "\(alert.rule)\(severity)\(labels.isEmpty ? "" : " {\(labels)}"): \(span), \(duration(alert.durationSeconds))"
    }

    /// `Not delivered since 2026-11-27 08:00 (vitals outbox list --status dead; vitals outbox retry ID sends one again):`.
    static func deadLettersHeading(_ delivery: DigestDelivery, local: LocalTimeText) -> String {
        let since = delivery.since.map { " since \(local.time($0))" } ?? ""
        return "Not delivered\(since) (vitals outbox list --status dead; vitals outbox retry ID sends one again):"
    }

    /// `ops: report Daily digest · 2026-11-28: 404: channel_not_found (dead-lettered 2026-11-28 09:00 after 1 attempt)`.
    static func deadLetter(_ letter: ReportDeadLetter, local: LocalTimeText) -> String {
        let attempts = letter.attempts == 1 ? "1 attempt" : "\(letter.attempts) attempts"
        return "\(letter.channel): \(letter.message): \(letter.error) (dead-lettered \(local.time(letter.deadAt)) after \(attempts))"
    }

    /// `git: ok, run 2026-11-25 08:00`: each source's freshness, once.
    static func source(_ source: SourceReport, local: LocalTimeText) -> String {
        guard let lastRun = source.lastRunAt else { return "\(source.name): never run" }
        let run = "last run \(local.time(lastRun))"
        var status = source.status.rawValue.replacingOccurrences(of: "_", with: " ")
        if source.stale { status += ", stale" }
        return "\(source.name): \(status), \(run)" + (source.status == .failed ? " (\(source.error ?? "no error recorded"))" : "")
    }

    /// The comparison as a phrase: `2026-11-17 (same period last week)`.
    static func comparison(_ digest: Digest, local: LocalTimeText) -> String {
        "\(local.period(digest.comparisonPeriod)) (\(digest.comparison.replacingOccurrences(of: "_", with: " ")))"
    }
}
