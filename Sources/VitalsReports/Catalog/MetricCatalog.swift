public import VitalsCore

/// Every metric the collectors emit and the report derives, in the order reports show them.
public struct MetricCatalog: Sendable {
    public let metrics: [MetricDefinition]

    public init(_ metrics: [MetricDefinition]) {
        self.metrics = metrics
    }

    /// The metric named `name`, if the catalog has it.
    public subscript(name: String) -> MetricDefinition? {
        metrics.first { $0.name == name }
    }

    /// The metrics a report shows in `family`, in catalog order.
    public func shown(in family: MetricFamily) -> [MetricDefinition] {
        metrics.filter { $0.family == family && $0.isShown }
    }

    /// The source types whose metrics belong to `family`.
    public func sourceTypes(in family: MetricFamily) -> Set<SourceType> {
        Set(metrics.filter { $0.family == family }.map(\.source))
    }

    /// The metrics of vitals' built-in collectors.
    public static let standard = MetricCatalog(git + coverage + sarif + markers)

    private static let git: [MetricDefinition] = [
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
    ]

    private static let coverage: [MetricDefinition] = [
        MetricDefinition(
            "coverage_lines_ratio", family: .quality, kind: .gauge, unit: .ratio, source: .coverage, optionalLabels: ["file"],
            title: "Line coverage",
            definition: "Covered lines divided by coverable lines (0–1) of the files counted, as the coverage tool counts them "
                + "(see [Coverage](#coverage)); `file` (the report's path) is set when several coverage files are read."),
        MetricDefinition(
            "coverage_branches_ratio", family: .quality, kind: .gauge, unit: .ratio, source: .coverage, optionalLabels: ["file"],
            title: "Branch coverage",
            definition: "Covered branches divided by branches (0–1), where the coverage file records branches (see [Coverage](#coverage))."),
        MetricDefinition(
            "coverage_functions_ratio", family: .quality, kind: .gauge, unit: .ratio, source: .coverage, optionalLabels: ["file"],
            title: "Function coverage",
            definition: "Functions run at least once divided by functions (0–1), where the coverage file records functions "
                + "(lcov `FN`/`FNDA`, Cobertura `<method>`, llvm-cov functions)."),
        MetricDefinition(
            "coverage_lines_covered", family: .quality, kind: .gauge, unit: .count, source: .coverage, optionalLabels: ["file"],
            title: "Lines covered", definition: "Coverable lines run at least once, as of the newest collection."),
        MetricDefinition(
            "coverage_lines_valid", family: .quality, kind: .gauge, unit: .count, source: .coverage, optionalLabels: ["file"],
            title: "Coverable lines", definition: "Lines the coverage tool can measure (coverable lines), as of the newest collection."),
    ]

    private static let sarif: [MetricDefinition] = [
        MetricDefinition(
            "security_findings", family: .quality, kind: .gauge, unit: .count, source: .sarif, optionalLabels: ["level", "severity"],
            title: "Security findings",
            definition: "Unsuppressed results in the SARIF files, per `level` (error, warning, note; a result without one takes its "
                + "rule's default level, else warning; `none` is not counted), and separately per `severity` (critical ≥ 9.0, "
                + "high ≥ 7.0, medium ≥ 4.0, low) for results whose rule has a `security-severity`; the two breakdowns are "
                + "separate series, never summed together."),
        MetricDefinition(
            "security_findings_new", family: .quality, kind: .gauge, unit: .count, source: .sarif, optionalLabels: ["level"],
            title: "New security findings",
            definition: "Unsuppressed results whose `baselineState` is `new`, per `level`."),
    ]

    private static let markers: [MetricDefinition] = [
        MetricDefinition(
            "code_markers", family: .quality, kind: .gauge, unit: .count, source: .markers, labels: ["repo", "source", "kind"],
            title: "Code markers",
            definition: "Occurrences of the whole uppercase words TODO, FIXME, HACK, XXX in comments of source files tracked by git "
                + "(see [Code markers](#code-markers): strings, prose, unknown file types, vendored and fixture folders, binary files "
                + "and files over 5 MB skipped), per `kind` (todo, fixme, hack, xxx; all four always written); a backfill adds each "
                + "past local day's count at its end.")
    ]
}
