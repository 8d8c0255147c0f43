public import Foundation
public import VitalsCore

/// Counts the open findings in SARIF 2.1.0 logs (CodeQL, Semgrep, bandit, flawfinder, ...).
///
/// Gauges, stamped at the request's `now`, labelled `repo` (``RepositoryName``), summed over all files:
/// - `security_findings{level=error|warning|note}`, every level present, zero included;
/// - `security_findings{severity=critical|high|medium|low}` for results whose rule has a `security-severity`,
///   a separate label set so a sum over one breakdown never counts a finding twice;
/// - `security_findings_new{level=...}`, results with `baselineState: new`;
/// - `security_rule_findings{rule, tool, severity, description}` for the ``ruleLimit`` rules with most findings
///   (``SarifFindings/rulesByCount``).
///
/// ``SarifFindings`` says which results count. A file that is not a SARIF 2.1.0 log fails the whole source
/// with an error naming the file and the place in it.
public struct SarifCollector: LocalCollector {
    public let source: String
    public var family: MetricFamily { .quality }
    public let interval: TimeSpan
    /// The repository the paths are relative to.
    public let repository: URL
    /// Configured paths or globs (`*`, `?`, `**`); nil searches ``conventionalPaths`` (outside `.build` and `.git`).
    public let paths: [String]?
    /// The `repo` label as configured; nil derives it from the repository (``RepositoryName``).
    public let repo: String?
    public var metrics: [String] { SarifSource.definition.writtenMetrics }

    /// How many rules get a `security_rule_findings` series per collection: enough to name the top rules, few enough that a
    /// tool with hundreds of rules writes a bounded number of samples.
    public static let ruleLimit = 10

    /// Where SARIF logs are when nothing is configured: the repository's top folder and a `sarif/` folder.
    /// Not the whole tree, where test fixtures and vendored tools' samples would be counted as this project's findings.
    public static let conventionalPaths = ["*.sarif", "sarif/**/*.sarif"]

    public init(source: String = "sarif", repository: URL, paths: [String]? = nil, interval: TimeSpan = .hours(1), repo: String? = nil) {
        self.source = source
        self.repository = repository
        self.paths = paths
        self.interval = interval
        self.repo = repo
    }

    /// A collector for a configured `sarif` source: its name, interval, `paths` and `repo` options.
    public init(config: SourceConfig, repository: URL) {
        self.init(
            source: config.name, repository: repository, paths: config.strings("paths"), interval: config.interval, repo: config.string("repo"))
    }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        var findings = SarifFindings()
        for file in try InputFiles(root: repository).require(configured: paths, conventional: Self.conventionalPaths, kind: "SARIF", source: source) {
            do {
                findings.add(try Self.log(from: try file.read(), file: file.relativePath))
            } catch {
                throw CollectorError(source: source, error.description)
            }
        }
        return Self.samples(findings, repo: RepositoryName.label(of: repository, configured: repo), at: request.now)
    }

    /// The counts of one SARIF log's findings.
    public static func findings(in data: Data, file: String) throws(InputFileError) -> SarifFindings {
        var findings = SarifFindings()
        findings.add(try log(from: data, file: file))
        return findings
    }

    static func log(from data: Data, file: String) throws(InputFileError) -> SarifLog {
        let log = try JSONInput.decode(SarifLog.self, from: data, file: file)
        guard log.version == SarifLog.supportedVersion else {
            throw InputFileError(file: file, at: .path("version"), "'\(log.version)' is not supported; expected '\(SarifLog.supportedVersion)'")
        }
        return log
    }

    static func samples(_ findings: SarifFindings, repo: String, at now: Timestamp) -> [Sample] {
        func gauge(_ name: String, _ label: String, _ value: String, _ count: Int) -> Sample {
            Sample(name, Labels(["repo": repo, label: value]), kind: .gauge, unit: .count, at: now, value: Double(count))
        }
        let levels = SarifFindings.levels
        return levels.map { gauge("security_findings", "level", $0, findings.byLevel[$0] ?? 0) }
            + SarifFindings.severityBuckets.compactMap { bucket in
                findings.bySeverity[bucket.name].map { gauge("security_findings", "severity", bucket.name, $0) }
            }
            + levels.map { gauge("security_findings_new", "level", $0, findings.newByLevel[$0] ?? 0) }
            + findings.rulesByCount.prefix(ruleLimit).map { rule in
                var labels = Labels(["repo": repo, "rule": rule.key.rule])
                if let tool = rule.key.tool { labels = labels.setting("tool", to: tool) }
                if let severity = rule.severity { labels = labels.setting("severity", to: severity) }
                if let description = rule.description {
                    // One line, so a report can show it inline.
                    let text = description.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    let limit = SarifSource.descriptionLimit
                    labels = labels.setting("description", to: text.count > limit ? String(text.prefix(limit - 1)) + "…" : text)
                }
                return Sample(SarifSource.ruleFindings, labels, kind: .gauge, unit: .count, at: now, value: Double(rule.count))
            }
    }
}
