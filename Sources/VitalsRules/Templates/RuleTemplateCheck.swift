/// Finds label and annotation templates in a rule file that would not render, for `vitals rules check`.
public enum RuleTemplateCheck {
    /// One error per template that does not parse, at the rule's `labels:` or `annotations:` key.
    public static func findings(_ file: RuleFile) -> [LintFinding] {
        var findings: [LintFinding] = []
        for group in file.groups {
            for rule in group.rules where rule.kind == .alert {
                for (key, texts) in [("labels", rule.labels), ("annotations", rule.annotations)] {
                    for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
                        do {
                            _ = try AlertTemplate(text)
                        } catch {
                            findings.append(LintFinding(.error, at: rule.position(of: key), "\(key.dropLast()) '\(name)' of '\(rule.name)': \(error)"))
                        }
                    }
                }
            }
        }
        return findings
    }
}
