public import VitalsCore

/// `vitals doctor`'s findings for the configured sources: for each, whether the environment variable its `token_env`
/// names is set, and then the check its type declares (one cheap request), each with the fix when it fails.
public enum SourceDoctor {
    /// One source's findings, in order.
    public struct Finding: Sendable, Equatable {
        public let source: String
        public let type: SourceType
        public let checks: [SourceCheck]

        public var passed: Bool { checks.allSatisfy(\.passed) }
    }

    /// Checks every source, one after another, in the configuration's order.
    public static func check(_ sources: [SourceConfig], context: CollectorContext) async -> [Finding] {
        var findings: [Finding] = []
        for source in sources {
            var checks: [SourceCheck] = []
            let definition = SourceRegistry.definition(of: source.type)
            if let variable = source.tokenEnv {
                if (context.environment[variable] ?? "").isEmpty {
                    checks.append(
                        .failed(
                            "\(variable), named by token_env, is not set", fix: "export \(variable)=… with the token (docs/configuration.md, Secrets)"
                        ))
                } else {
                    checks.append(.passed("\(variable) is set"))
                }
            }
            if checks.allSatisfy(\.passed), let check = await definition.check(source, context: context) {
                checks.append(check)
            }
            if checks.isEmpty { checks.append(.passed(source.type.isLocal ? "reads files on this machine: nothing to ask" : "nothing to ask")) }
            findings.append(Finding(source: source.name, type: source.type, checks: checks))
        }
        return findings
    }

    /// The findings as `vitals doctor` prints them: a line per source, then its checks, each failure with its fix.
    public static func text(_ findings: [Finding]) -> String {
        var text = ""
        for finding in findings {
            text += "\(finding.source) (\(finding.type)): \(finding.passed ? "ok" : "FAILED")\n"
            for check in finding.checks {
                text += "  \(check.passed ? "ok  " : "FAIL") \(check.detail)\n"
                if let fix = check.fix { text += "       fix: \(fix)\n" }
            }
        }
        return text
    }
}
