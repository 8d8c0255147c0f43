public import VitalsCore

extension SourceType {
    /// `type: coverage`: test coverage reports (lcov, Cobertura, llvm-cov export). Like every local source it takes `repo`, the `repo` label of its samples in
    /// place of the one derived from the repository.
    public static let coverage = SourceType("coverage", isLocal: true, options: ["paths": .list, "include": .list, "exclude": .list, "repo": .name])
}

/// The `coverage` source type: its options, metrics and collector.
public enum CoverageSource {
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
        ],
        collector: { config, context in
            CoverageCollector(config: config, repository: context.root)
        })
}
