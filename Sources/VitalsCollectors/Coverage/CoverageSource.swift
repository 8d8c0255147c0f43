public import VitalsCore

extension SourceType {
    /// `type: coverage`: test coverage reports (lcov, Cobertura, llvm-cov export). Like every local source it takes `repo`, the `repo` label of its samples in
    /// place of the one derived from the repository.
    public static let coverage = SourceType("coverage", isLocal: true, options: ["paths": .list, "include": .list, "exclude": .list, "repo": .name])
}

/// The `coverage` source type: its options, metrics and collector.
public enum CoverageSource {
    /// The per-file metrics, read by the least-covered-files recommendation of reports.
    public static let fileLinesMissed = "coverage_file_lines_missed"
    public static let fileLinesValid = "coverage_file_lines_valid"

    public static let definition = SourceDefinition(
        type: .coverage,
        metrics: [
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
            MetricDefinition(
                fileLinesMissed, family: .quality, kind: .gauge, unit: .count, source: .coverage, labels: ["repo", "source", "path"],
                optionalLabels: ["file"], title: "Uncovered lines of a file",
                definition: "Coverable lines not run, of one source file (`path`: relative to the repository, or as the coverage file "
                    + "names it when outside), for the \(CoverageCollector.leastCoveredLimit) files of each coverage file with most "
                    + "uncovered lines (then the lower ratio, then the path; fully covered files never), one sample per collection "
                    + "while a file is among them, so only a collection's own least-covered files have a sample at its time. "
                    + "Counted as the totals are (see [Coverage](#coverage)).",
                derivation: .hidden),
            MetricDefinition(
                fileLinesValid, family: .quality, kind: .gauge, unit: .count, source: .coverage, labels: ["repo", "source", "path"],
                optionalLabels: ["file"], title: "Coverable lines of a file",
                definition: "Coverable lines of each file that has a `coverage_file_lines_missed` sample, at the same time.",
                derivation: .hidden),
        ],
        collector: { config, context in
            CoverageCollector(config: config, repository: context.root)
        })
}
