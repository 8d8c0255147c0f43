public import Foundation
public import VitalsCore
import VitalsHTTP

extension SourceType {
    /// `type: sonarqube`: one project's measures and quality gate on a SonarQube server (or SonarQube Cloud).
    public static let sonarqube = SourceType(
        "sonarqube", isLocal: false, options: ["base_url": .url, "project": .name], requiredOptions: ["base_url", "project"])
}

/// The `sonarqube` source type: its options, metrics, collector and check.
public enum SonarQubeSource {
    public static let coverage = "sonar_coverage_ratio"
    public static let duplicatedLines = "sonar_duplicated_lines_ratio"
    public static let debt = "sonar_debt_ratio"
    public static let bugs = "sonar_bugs"
    public static let vulnerabilities = "sonar_vulnerabilities"
    public static let codeSmells = "sonar_code_smells"
    public static let securityHotspots = "sonar_security_hotspots"
    public static let reliabilityRating = "sonar_reliability_rating"
    public static let securityRating = "sonar_security_rating"
    public static let maintainabilityRating = "sonar_maintainability_rating"
    public static let qualityGateOK = "sonar_quality_gate_ok"
    public static let conditionOK = "sonar_quality_gate_condition_ok"

    /// Each measure metric: SonarQube's metric key, and how its value becomes the sample's (percentages become ratios).
    static let measures: [(metric: String, key: String, scale: Double)] = [
        (coverage, "coverage", 0.01), (duplicatedLines, "duplicated_lines_density", 0.01), (debt, "sqale_debt_ratio", 0.01),
        (bugs, "bugs", 1), (vulnerabilities, "vulnerabilities", 1), (codeSmells, "code_smells", 1), (securityHotspots, "security_hotspots", 1),
        (reliabilityRating, "reliability_rating", 1), (securityRating, "security_rating", 1), (maintainabilityRating, "sqale_rating", 1),
    ]

    static let labels = ["source", "project"]

    static func measure(_ name: String, _ unit: MetricUnit, _ title: String, _ definition: String) -> MetricDefinition {
        MetricDefinition(name, family: .quality, kind: .gauge, unit: unit, source: .sonarqube, labels: labels, title: title, definition: definition)
    }

    static let asOf = ", as of the collection (the project's last analysis); none when SonarQube has no value for it."
    static func rating(_ key: String, of what: String) -> String {
        "SonarQube's `\(key)` (\(what)) as a number: 1 (A) to 5 (E), SonarQube sending `\"1.0\"`..`\"5.0\"`" + asOf
    }

    public static let definition = SourceDefinition(
        type: .sonarqube,
        metrics: [
            measure(coverage, .ratio, "Sonar coverage", "SonarQube's `coverage` (percent of lines and conditions covered) / 100" + asOf),
            measure(duplicatedLines, .ratio, "Sonar duplicated lines", "SonarQube's `duplicated_lines_density` (percent) / 100" + asOf),
            measure(
                debt, .ratio, "Technical debt ratio",
                "SonarQube's `sqale_debt_ratio` (remediation cost / development cost, in percent) / 100" + asOf),
            measure(bugs, .count, "Sonar bugs", "SonarQube's `bugs`: open issues of type bug" + asOf),
            measure(vulnerabilities, .count, "Sonar vulnerabilities", "SonarQube's `vulnerabilities`: open issues of type vulnerability" + asOf),
            measure(codeSmells, .count, "Code smells", "SonarQube's `code_smells`: open issues of type code smell" + asOf),
            measure(securityHotspots, .count, "Security hotspots", "SonarQube's `security_hotspots`: security hotspots to review" + asOf),
            measure(reliabilityRating, .count, "Reliability rating", rating("reliability_rating", of: "bugs")),
            measure(securityRating, .count, "Security rating", rating("security_rating", of: "vulnerabilities")),
            measure(maintainabilityRating, .count, "Maintainability rating", rating("sqale_rating", of: "technical debt ratio")),
            measure(
                qualityGateOK, .count, "Quality gate passed",
                "1 when `api/qualitygates/project_status` says `OK` (or `WARN`, which older versions use for warnings), 0 for "
                    + "`ERROR`; none for `NONE` (no gate, or no analysis yet). Its failing conditions are the "
                    + "`sonar_quality_gate_condition_ok` series at 0."),
            MetricDefinition(
                conditionOK, family: .quality, kind: .gauge, unit: .count, source: .sonarqube, labels: labels + ["metric"],
                title: "Quality gate condition passed",
                definition: "Per condition of the quality gate, `metric` being its `metricKey` (`new_coverage`, …): 1 when its "
                    + "`status` is `OK` or `WARN`, 0 for `ERROR`, so a report lists the failing conditions; as of the collection."),
        ],
        collector: { config, context in
            SonarQubeCollector(
                source: config.name, project: config.string("project") ?? "", client: client(config, context), interval: config.interval)
        },
        check: { config, context in
            await SourceCheck.asking(
                tokenEnv: config.tokenEnv, notFound: "check base_url: it is the server's root, such as https://sonar.example.com"
            ) {
                guard try await client(config, context).validate() else {
                    throw RemoteAPIError("SonarQube does not accept the token (api/authentication/validate: valid false)", status: 401)
                }
                return "GET api/authentication/validate: the token is valid"
            }
        })

    static func client(_ config: SourceConfig, _ context: CollectorContext) -> SonarQubeClient {
        SonarQubeClient(
            baseURL: config.string("base_url").flatMap(URL.init(string:))!, token: config.tokenEnv.flatMap { context.environment[$0] } ?? "",
            api: context.api(config.name))
    }
}
