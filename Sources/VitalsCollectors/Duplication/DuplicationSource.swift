public import VitalsCore

extension SourceType {
    /// `type: duplication`: copy/paste detector reports (jscpd JSON, PMD CPD XML), for teams without SonarQube. Like every
    /// local source it takes `repo`, the `repo` label of its samples in place of the one derived from the repository.
    public static let duplication = SourceType("duplication", isLocal: true, options: ["paths": .list, "repo": .name])
}

/// The `duplication` source type: its options, metrics and collector.
public enum DuplicationSource {
    public static let definition = SourceDefinition(
        type: .duplication,
        metrics: [
            MetricDefinition(
                "duplicated_lines_ratio", family: .quality, kind: .gauge, unit: .ratio, source: .duplication, optionalLabels: ["file"],
                title: "Duplicated lines",
                definition: "jscpd: `statistics.total.duplicatedLines` / `statistics.total.lines` (0–1; jscpd's `percentage` is the "
                    + "same figure × 100, rounded to two decimals); 0 when no lines were read. Not written for a PMD CPD report, "
                    + "which has no line total (see [Duplication](#duplication)); `file` (the report's path) is set when several "
                    + "reports are read."),
            MetricDefinition(
                "duplicated_lines", family: .quality, kind: .gauge, unit: .lines, source: .duplication, optionalLabels: ["file"],
                title: "Duplicated lines (count)",
                definition: "jscpd: `statistics.total.duplicatedLines`. PMD CPD: the sum over `<duplication>`s of `lines` × (its "
                    + "`<file>` occurrences − 1), the copies beyond the first (see [Duplication](#duplication))."),
            MetricDefinition(
                "duplicated_blocks", family: .quality, kind: .gauge, unit: .count, source: .duplication, optionalLabels: ["file"],
                title: "Duplicated blocks",
                definition: "jscpd: `statistics.total.clones` (clone pairs). PMD CPD: the sum over `<duplication>`s of its `<file>` "
                    + "occurrences − 1 (see [Duplication](#duplication))."),
        ],
        collector: { config, context in
            DuplicationCollector(config: config, repository: context.root)
        })
}
