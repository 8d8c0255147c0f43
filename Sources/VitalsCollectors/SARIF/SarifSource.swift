public import VitalsCore

extension SourceType {
    /// `type: sarif`: SARIF 2.1.0 logs of static analysers. Like every local source it takes `repo`, the `repo` label of its samples in
    /// place of the one derived from the repository.
    public static let sarif = SourceType("sarif", isLocal: true, options: ["paths": .list, "repo": .name])
}

/// The `sarif` source type: its options, metrics and collector.
public enum SarifSource {
    public static let definition = SourceDefinition(
        type: .sarif,
        metrics: [
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
        ],
        collector: { config, context in
            SarifCollector(config: config, repository: context.root)
        })
}
