public import VitalsCore

extension SourceType {
    /// `type: sarif`: SARIF 2.1.0 logs of static analysers. Like every local source it takes `repo`, the `repo` label of its samples in
    /// place of the one derived from the repository.
    public static let sarif = SourceType("sarif", isLocal: true, options: ["paths": .list, "repo": .name])
}

/// The `sarif` source type: its options, metrics and collector.
public enum SarifSource {
    /// The per-rule metric, read by the top-rules recommendation of reports.
    public static let ruleFindings = "security_rule_findings"
    /// The longest `description` label; a longer rule description is cut, ending in `…`.
    public static let descriptionLimit = 100

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
            MetricDefinition(
                ruleFindings, family: .quality, kind: .gauge, unit: .count, source: .sarif, labels: ["repo", "source", "rule"],
                optionalLabels: ["tool", "severity", "description"], title: "Security findings of a rule",
                definition: "The results counted in `security_findings` (by level) of one rule (`rule`: its id; `tool`: the run's "
                    + "`tool.driver.name`), for the \(SarifCollector.ruleLimit) rules with most of them (then by rule id, then tool), "
                    + "one sample per collection while a rule is among them, so only a collection's own top rules have a sample at "
                    + "its time; with the rule's `severity` bucket and its `shortDescription` text as `description` (on one "
                    + "line, cut to \(descriptionLimit) characters) where the log gives them. Results whose rule has no id are not counted here.",
                derivation: .hidden),
        ],
        collector: { config, context in
            SarifCollector(config: config, repository: context.root)
        })
}
