/// Counts of the open findings in SARIF logs, by level, by security-severity bucket, new since the baseline, and by rule.
///
/// Which results count, following SARIF 2.1.0:
/// - A result's level is its `level`; without one, a result whose `kind` is other than `fail` has level
///   `none` (§3.27.10), and otherwise it takes its rule's `defaultConfiguration.level`, else `warning`.
///   Level `none` results are not findings.
/// - A result is suppressed, and not counted, when one of its `suppressions` has `status` `accepted` or no
///   status (§3.27.23, §3.35.3); suppressions that are all `rejected` or `underReview` leave it open.
/// - A result with `baselineState: absent` is one that has gone since the baseline, so it is not counted.
public struct SarifFindings: Hashable, Sendable {
    /// Open findings by level: `error`, `warning`, `note`, each present, zero included.
    public var byLevel: [String: Int]
    /// Open findings whose rule carries `properties.security-severity`, by bucket (``severityBuckets``).
    /// Empty when no rule in the logs carries a severity, so tools without scores record no severity series.
    public var bySeverity: [String: Int]
    /// Open findings with `baselineState: new`, by level, each level present.
    public var newByLevel: [String: Int]
    /// Open findings by rule: by the name of the tool that ran (the run's `tool.driver.name`) and the rule's id. A result
    /// whose rule has no id is counted by level and severity only.
    public var byRule: [RuleFindings.Key: RuleFindings]

    /// The open findings of one rule.
    public struct RuleFindings: Hashable, Sendable {
        public struct Key: Hashable, Sendable {
            public let tool: String?
            public let rule: String
        }

        public let key: Key
        /// The rule's `shortDescription.text`, where the log gives one.
        public let description: String?
        /// The bucket of the rule's `security-severity` (``SarifFindings/severityBuckets``), where it has one.
        public let severity: String?
        public var count: Int
    }

    /// The rules with findings, most findings first; among equal counts by rule id, then tool name, so the order is the same
    /// on every run.
    public var rulesByCount: [RuleFindings] {
        byRule.values.sorted { (-$0.count, $0.key.rule, $0.key.tool ?? "") < (-$1.count, $1.key.rule, $1.key.tool ?? "") }
    }

    /// The counted levels, most severe first.
    public static let levels = ["error", "warning", "note"]
    /// GitHub code scanning's buckets of the 0–10 security-severity score, highest first: a score belongs to the
    /// first bucket whose minimum it reaches.
    public static let severityBuckets: [(name: String, minimum: Double)] = [("critical", 9.0), ("high", 7.0), ("medium", 4.0), ("low", 0)]

    public init() {
        byLevel = Dictionary(uniqueKeysWithValues: Self.levels.map { ($0, 0) })
        bySeverity = [:]
        newByLevel = byLevel
        byRule = [:]
    }

    /// The bucket name of a security-severity score.
    public static func severityBucket(_ score: Double) -> String {
        severityBuckets.first { score >= $0.minimum }?.name ?? "low"
    }

    mutating func add(_ log: SarifLog) {
        for run in log.runs {
            if run.tool.declaresSecuritySeverity { startSeverityCounts() }
            for result in run.results ?? [] {
                add(result, rule: run.tool.rule(for: result), tool: run.tool.driver.name)
            }
        }
    }

    private mutating func startSeverityCounts() {
        for bucket in Self.severityBuckets where bySeverity[bucket.name] == nil {
            bySeverity[bucket.name] = 0
        }
    }

    private mutating func add(_ result: SarifLog.Result, rule: SarifLog.Rule?, tool: String?) {
        guard !result.isSuppressed, result.baselineState != "absent" else { return }
        let level = result.effectiveLevel(rule: rule)
        guard level != .none else { return }
        byLevel[level.rawValue, default: 0] += 1
        if result.baselineState == "new" { newByLevel[level.rawValue, default: 0] += 1 }
        let severity = rule?.properties?.securitySeverity.map(Self.severityBucket)
        if let severity { bySeverity[severity, default: 0] += 1 }
        guard let id = rule?.id ?? result.rule?.id ?? result.ruleId else { return }
        let key = RuleFindings.Key(tool: tool, rule: id)
        byRule[key, default: RuleFindings(key: key, description: rule?.shortDescription?.text, severity: severity, count: 0)].count += 1
    }
}

extension SarifLog.Result {
    var isSuppressed: Bool {
        (suppressions ?? []).contains { $0.status == nil || $0.status == "accepted" }
    }

    func effectiveLevel(rule: SarifLog.Rule?) -> SarifLog.Level {
        if let level { return level }
        if let kind, kind != "fail" { return .none }
        return rule?.defaultConfiguration?.level ?? .warning
    }
}

extension SarifLog.Tool {
    var declaresSecuritySeverity: Bool {
        ([driver] + (extensions ?? [])).contains { component in
            (component.rules ?? []).contains { $0.properties?.securitySeverity != nil }
        }
    }
}
