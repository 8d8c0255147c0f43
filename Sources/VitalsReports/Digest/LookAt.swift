import Foundation
import VitalsCore

/// "What to look at": the rows that pulled the score down most, each with a recommendation drawn from its own data.
///
/// The recommendation table is in docs/reports.md; every sentence names numbers the digest holds.
enum LookAt {
    static let limit = 3

    /// The scored rows below 100, lowest score first (the larger worsening first among equals), at most ``limit``.
    ///   - details: the stale pull requests, least-covered files and top rules of the rows, by their labels.
    static func items(_ rows: [DigestRow], comparison: String, local: LocalTimeText, now: Timestamp, details: LookAtDetails) -> [LookAtItem] {
        let candidates = rows.filter { ($0.score ?? 100) < 100 }
        let ordered = candidates.sorted { left, right in
            (left.score!, -worsening(left)) < (right.score!, -worsening(right))
        }
        return ordered.prefix(limit).map { row in
            let threshold = row.threshold!
            return LookAtItem(
                metric: row.metric, name: row.name, fingerprint: "look_at/\(row.metric)\(row.labels)", value: row.value,
                valueText: DigestText.value(row), threshold: threshold,
                thresholdText: DigestText.threshold(threshold, unit: row.unit), grade: row.grade!, score: row.score!,
                trendText: DigestText.trend(row, comparison: comparison),
                recommendation: recommendation(row, among: rows, local: local, now: now, details: details))
        }
    }

    /// The least-covered files of a coverage row's newest collection, or that it stored none.
    static func leastCovered(_ files: [LeastCoveredFile]) -> String {
        guard !files.isEmpty else {
            return "The newest collection stored no per-file coverage (collected by a vitals that did not store it, or "
                + "no file has uncovered lines): the coverage tool's per-file table names the least-covered files."
        }
        return "Most uncovered lines: \(files.prefix(LeastCoveredFile.listed).map(\.text).joined(separator: ", "))."
    }

    /// The rules with most findings at a findings row's newest collection, or that it stored none. The per-rule counts are
    /// of all open findings, so for the new findings they say so.
    static func topRules(_ rules: [TopRule], new: Bool) -> String {
        guard !rules.isEmpty else {
            return "The newest collection stored no per-rule counts (collected by a vitals that did not store them, or no finding has a rule id): "
                + "the SARIF files name the rules."
        }
        let showsTool = Set(rules.map(\.tool)).count > 1
        return "Top rules by count\(new ? " of all open findings" : ""): "
            + rules.prefix(TopRule.listed).map { $0.text(showsTool: showsTool) }.joined(separator: ", ") + "."
    }

    /// How much the row moved in the worse direction since the comparison period (0 when it improved or is unknown).
    static func worsening(_ row: DigestRow) -> Double {
        guard let change = row.changeRatio ?? row.change, let threshold = row.threshold else { return 0 }
        return max(0, threshold.better == .higher ? -change : change)
    }

    /// The recommendation for `row`, drawn from its data, from the digest's other `rows` (the other probes, the open
    /// pull requests) and from the items its source stored with it (`details`).
    static func recommendation(_ row: DigestRow, among rows: [DigestRow], local: LocalTimeText, now: Timestamp, details: LookAtDetails) -> String {
        let threshold = row.threshold!
        let good = NumberText.value(threshold.good, unit: row.unit)
        switch row.metric {
        case "github_workflow_success_ratio":
            let failing = row.breakdown.compactMap { entry in
                entry.counts.flatMap { counts in counts.denominator > counts.numerator ? (entry.value, counts) : nil }
            }
            guard !failing.isEmpty else { return "No workflow run failed in the period; \(DigestText.value(row)) against \(good) good." }
            let listed = failing.prefix(3).map { name, counts in
                "`\(name)` \(DigestText.count(counts.denominator - counts.numerator)) of \(DigestText.count(counts.denominator)) runs failed"
            }
            let total = row.counts.map { "; \(DigestText.count($0.numerator)) of \(DigestText.count($0.denominator)) runs succeeded in all" } ?? ""
            return "Fix the workflows failing most: \(listed.joined(separator: ", "))\(total)."
        case "probe_success":
            let below = rows.filter { $0.metric == row.metric && $0.value != nil && $0.value! < threshold.good }
                .sorted { ($0.value!, $0.name) < ($1.value!, $1.name) }
            let listed = below.prefix(3).map { probe in "\(probe.labels["url"] ?? probe.name) \(DigestText.value(probe))" }
            return "Probes below \(good) uptime: \(listed.joined(separator: "; ")). Each failed check is a sample of 0 in "
                + "`probe_success`; `vitals query probe_success --since 1d` shows when."
        case "github_prs_stale":
            let stale = details.stale[row.labels] ?? []
            let open = rows.first { $0.metric == "github_prs_open" && $0.labels == row.labels }?.value
            let since = local.date(Timestamp(milliseconds: now.milliseconds - 7 * 86_400_000))
            let counted = "\(DigestText.count(row.value)) open pull requests had no update for 7 days"
                + (open.map { " (of \(DigestText.count($0)) open)" } ?? "")
            guard !stale.isEmpty else {
                return counted + ". The github source stores their count, not the pull requests: GitHub's search "
                    + "`is:pr is:open updated:<\(since) sort:updated-asc` lists them, oldest first."
            }
            let listed = stale.prefix(StalePull.listed).map(\.text).joined(separator: "; ")
            let more = stale.count > StalePull.listed ? "; \(stale.count - StalePull.listed) more" : ""
            return counted + ". Review or close the oldest first: \(listed)\(more)."
        case "coverage_lines_ratio" where linesToCover(row.counts, good: threshold.good) != nil:
            let counts = row.counts!
            let needed = linesToCover(counts, good: threshold.good)!
            return "Cover \(NumberText.grouped(Double(max(needed, 0)), decimals: 0)) more lines to reach "
                + "\(NumberText.value(threshold.good, unit: .ratio)) (\(DigestText.counts(counts)) lines covered now). "
                + leastCovered(details.files[row.labels] ?? [])
        case "coverage_lines_ratio", "coverage_branches_ratio", "coverage_functions_ratio":
            return "\(row.title) is \(DigestText.value(row)) against \(NumberText.value(threshold.good, unit: .ratio)) good. "
                + leastCovered(details.files[row.labels] ?? [])
        case "security_findings", "security_findings_new":
            // Most severe first, whatever the counts.
            func present(_ label: String, order: [String]) -> [BreakdownEntry] {
                row.breakdown.filter { $0.label == label && ($0.now ?? 0) > 0 }
                    .sorted { (order.firstIndex(of: $0.value) ?? order.count) < (order.firstIndex(of: $1.value) ?? order.count) }
            }
            let levels = present("level", order: ["error", "warning", "note"])
            let severities = present("severity", order: ["critical", "high", "medium", "low"])
            guard let top = (severities.first ?? levels.first) else { return "No unsuppressed findings are stored for the period." }
            let listed = (severities.isEmpty ? levels : severities).map { "\($0.value) \(DigestText.count($0.now))" }.joined(separator: " · ")
            return "Start with the \(DigestText.count(top.now)) \(top.value)-\(top.label) findings (\(listed)). "
                + topRules(details.rules[row.labels] ?? [], new: row.metric == "security_findings_new")
        case "code_markers":
            let rising = row.breakdown.filter { entry in entry.previous.map { entry.now ?? 0 > $0 } ?? false }
                .sorted { (($0.now ?? 0) - ($0.previous ?? 0)) > (($1.now ?? 0) - ($1.previous ?? 0)) }
            if let kind = rising.first {
                return "\(kind.value.uppercased()) markers rose from \(DigestText.count(kind.previous)) to \(DigestText.count(kind.now)): "
                    + "resolve the ones added since the comparison period first (`git grep -n \(kind.value.uppercased())`)."
            }
            let top = row.breakdown.first.map { "\($0.value.uppercased()) \(DigestText.count($0.now))" } ?? ""
            return
                "No kind rose since the comparison period; the largest is \(top). Clearing them lowers the total toward \(DigestText.count(threshold.good))."
        case "git_commits":
            let last = row.lastEventAt.map { "; last commit \(local.date($0))" } ?? "; no commit in the store"
            if let previous = row.previous, let value = row.value, previous > value {
                return "Commits fell from \(DigestText.count(previous)) to \(DigestText.count(value))\(last)."
            }
            return "\(DigestText.count(row.value)) commits against \(NumberText.value(threshold.good, unit: .count)) good, "
                + "\(DigestText.count(row.previous)) in the comparison period\(last)."
        case _ where row.distribution != nil:
            let distribution = row.distribution!
            let before = row.previousDistribution.map {
                "median \(NumberText.value($0.median, unit: row.unit)) over \(DigestText.count(Double($0.count))) before"
            }
            return "\(row.title): median \(NumberText.value(distribution.median, unit: row.unit)) against \(good) good over "
                + "\(DigestText.count(Double(distribution.count))) \(distribution.count == 1 ? row.item ?? "" : row.items ?? ""), 90th percentile "
                + "\(NumberText.value(distribution.p90, unit: row.unit))"
                + (before.map { " (\($0))" } ?? "") + "." + (row.dora.map { " DORA level \($0.level.rawValue): \($0.basis)." } ?? "")
        default:
            return "\(row.title) is \(DigestText.value(row)), \(threshold.better == .higher ? "below" : "above") the good mark "
                + "\(NumberText.value(threshold.good, unit: row.unit)); it was \(row.previous.map { NumberText.value($0, unit: row.unit) } ?? "not recorded") before."
                + (row.dora.map { " DORA level \($0.level.rawValue): \($0.basis)." } ?? "")
        }
    }

    /// The lines to cover for `counts` (covered of valid) to reach `good`, when that is a whole number (a count that is not
    /// finite gives none).
    private static func linesToCover(_ counts: RawCounts?, good: Double) -> Int? {
        counts.flatMap { Int(exactly: (good * $0.denominator - $0.numerator).rounded(.up)) }
    }
}
