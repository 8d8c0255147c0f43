import VitalsCollectors
import VitalsCore
import VitalsPorts

/// A rule among those with most findings at the newest collection of a SARIF source (`security_rule_findings`): what the
/// security findings recommendations name.
struct TopRule: Hashable {
    /// How many the recommendation names.
    static let listed = 3
    /// The rows whose recommendation names them.
    static let rowMetrics: Set<String> = ["security_findings", "security_findings_new"]

    let rule: String
    let tool: String?
    let description: String?
    let count: Double

    /// `` `js/xss` 3 (Cross-site scripting) ``, with the tool's name when `showsTool`.
    func text(showsTool: Bool) -> String {
        let about = [showsTool ? tool : nil, description].compactMap { $0 }.joined(separator: ": ")
        return "`\(rule)` \(DigestText.count(count))" + (about.isEmpty ? "" : " (\(about))")
    }

    /// The rules stored at the same collection as a findings row's newest sample, with the row's labels: most findings first,
    /// then by rule id, then by tool (the collector's order).
    static func read(for row: DigestRow, from store: any MetricStore) async throws -> [TopRule] {
        try await LookAtDetails.newest(SarifSource.ruleFindings, for: row, from: store).compactMap { entry -> TopRule? in
            guard let rule = entry.labels["rule"] else { return nil }
            return TopRule(rule: rule, tool: entry.labels["tool"], description: entry.labels["description"], count: entry.value)
        }.sorted { (-$0.count, $0.rule, $0.tool ?? "") < (-$1.count, $1.rule, $1.tool ?? "") }
    }
}
