public import VitalsCore

extension SourceType {
    /// `type: git`: the history of a git repository. Like every local source it takes `repo`, the `repo` label of its samples in
    /// place of the one derived from the repository.
    public static let git = SourceType("git", isLocal: true, options: ["path": .string, "branch": .string, "history": .duration, "repo": .name])
}

/// The `git` source type: its options, metrics and collector.
public enum GitSource {
    public static let definition = SourceDefinition(
        type: .git,
        metrics: [
            MetricDefinition(
                "git_commits", family: .velocity, kind: .event, unit: .count, source: .git, title: "Commits",
                definition: "Non-merge commits (fewer than two parents) reachable from the branch, per local day of the committer date; "
                    + "days without commits get a zero sample, so \"no commits\" differs from \"not collected\"."),
            MetricDefinition(
                "git_merges", family: .velocity, kind: .event, unit: .count, source: .git, title: "Merges",
                definition: "Merge commits (two or more parents) reachable from the branch, per local day of the committer date."),
            MetricDefinition(
                "git_lines_added", family: .velocity, kind: .event, unit: .lines, source: .git, title: "Lines added",
                definition: "Lines added by non-merge commits per local day, from `git log --numstat --no-renames`; binary files add none."),
            MetricDefinition(
                "git_lines_deleted", family: .velocity, kind: .event, unit: .lines, source: .git, title: "Lines deleted",
                definition: "Lines deleted by non-merge commits per local day, from `git log --numstat --no-renames`; binary files add none."),
            MetricDefinition(
                "git_files_changed", family: .velocity, kind: .event, unit: .count, source: .git, title: "Files changed",
                definition: "Files changed by non-merge commits per local day, one per `--numstat` line of each commit; binary files count here."),
            MetricDefinition(
                "git_author_commits", family: .velocity, kind: .event, unit: .count, source: .git, labels: ["repo", "source", "author"],
                title: "Commits by author",
                definition: "Non-merge commits per author (`author` is the lowercased author email) per local day. "
                    + "Internal: reports derive `git_authors` from it and show no rows of it.",
                derivation: .hidden),
            MetricDefinition(
                "git_authors", family: .velocity, kind: .gauge, unit: .count, source: .git, title: "Active authors",
                definition: "Derived by reports, not stored: the number of distinct `git_author_commits` series (authors) with a sample "
                    + "in the period; the daily trend is the number of distinct authors per day.",
                derivation: .distinctSeries(metric: "git_author_commits", label: "author")),
        ],
        collector: { config, context in
            let history = config.string("history").flatMap { try? TimeSpan(parsing: $0) }
            return GitCollector(
                source: config.name, repository: context.resolve(config.string("path")), branch: config.string("branch"),
                defaultHistory: history ?? .days(90), interval: config.interval, repo: config.string("repo"))
        })
}
