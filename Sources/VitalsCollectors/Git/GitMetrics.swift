public import VitalsCore

/// The metrics the git collector emits; `docs/metrics.md` defines each.
public enum GitMetrics {
    public static let commits = "git_commits"
    public static let merges = "git_merges"
    public static let linesAdded = "git_lines_added"
    public static let linesDeleted = "git_lines_deleted"
    public static let filesChanged = "git_files_changed"
    public static let authorCommits = "git_author_commits"

    /// The samples of one day, stamped at its local midnight. A day without commits yields only `git_commits = 0`,
    /// so that "no commits" stays distinguishable from "not collected".
    public static func samples(of day: GitDayActivity, labels: Labels) -> [Sample] {
        func event(_ name: String, _ value: Int, unit: MetricUnit = .count, labels: Labels = labels) -> Sample {
            Sample(name, labels, kind: .event, unit: unit, at: day.dayStart, value: Double(value))
        }
        guard !day.isEmpty else { return [event(commits, 0)] }
        var samples = [
            event(commits, day.commits),
            event(merges, day.merges),
            event(linesAdded, day.linesAdded, unit: .lines),
            event(linesDeleted, day.linesDeleted, unit: .lines),
            event(filesChanged, day.filesChanged),
        ]
        for (author, count) in day.authorCommits.sorted(by: { $0.key < $1.key }) {
            samples.append(event(authorCommits, count, labels: labels.setting("author", to: author)))
        }
        return samples
    }
}
