import Foundation
import Testing
import VitalsCollectors

/// What each SARIF log counts as, for logs written by real analyzers and one in CodeQL's shape
/// (the expected numbers are derived in Fixtures/README.md).
@Suite struct SARIFFindingsTests {
    func findings(_ fixture: String) throws -> SarifFindings {
        try SarifCollector.findings(in: try FixtureRepository.data(fixture), file: fixture)
    }

    @Test func flawfinderLevelsWithoutSeverities() throws {
        let counted = try findings("SARIF/flawfinder.sarif")
        #expect(counted.byLevel == ["error": 3, "warning": 0, "note": 2])
        #expect(counted.bySeverity == [:])
        #expect(counted.newByLevel == ["error": 0, "warning": 0, "note": 0])
    }

    @Test func banditResultsWithoutLevelAreWarnings() throws {
        let counted = try findings("SARIF/bandit.sarif")
        #expect(counted.byLevel == ["error": 1, "warning": 2, "note": 4])
        #expect(counted.bySeverity == [:])
    }

    @Test func codeqlShapedLogHonoursRuleDefaultsSuppressionsAndBaseline() throws {
        let counted = try findings("SARIF/codeql-shaped.sarif")
        #expect(counted.byLevel == ["error": 5, "warning": 2, "note": 2])
        #expect(counted.bySeverity == ["critical": 2, "high": 2, "medium": 3, "low": 1])
        #expect(counted.newByLevel == ["error": 2, "warning": 1, "note": 2])
    }

    /// Per rule, the same results count as by level (README's table: suppressed, absent and `kind: pass` results not), with
    /// the rule's severity bucket and short description; most first, equal counts by rule id.
    @Test func codeqlShapedLogCountsFindingsPerRule() throws {
        let counted = try findings("SARIF/codeql-shaped.sarif")
        #expect(
            counted.rulesByCount.map { "\($0.key.tool ?? "-") \($0.key.rule) \($0.count) \($0.severity ?? "-") \($0.description ?? "-")" } == [
                "CodeQL js/xss 3 medium Cross-site scripting",
                "CodeQL js/hardcoded-credentials 2 critical Hard-coded credentials",
                "CodeQL js/sql-injection 2 high Database query built from user-controlled sources",
                "CodeQL js/unused-local-variable 1 - Unused variable",
                "CodeQL js/weak-cryptographic-algorithm 1 low Use of a broken cryptographic algorithm",
            ])
        #expect(counted.rulesByCount.map(\.count).reduce(0, +) == counted.byLevel.values.reduce(0, +))
    }

    /// flawfinder gives each rule a short description, bandit none; both rule ids come from `ruleId`.
    @Test func flawfinderAndBanditCountPerRule() throws {
        #expect(
            try findings("SARIF/flawfinder.sarif").rulesByCount.map { "\($0.key.rule) \($0.count) \($0.description?.prefix(24) ?? "-")" } == [
                "FF1013 2 Statically-sized arrays ", "FF1001 1 Does not check for buffe", "FF1014 1 Does not check for buffe",
                "FF1016 1 If format strings can be",
            ])
        #expect(
            try findings("SARIF/bandit.sarif").rulesByCount.map { "\($0.key.tool ?? "-") \($0.key.rule) \($0.count) \($0.description ?? "-")" } == [
                "Bandit B101 1 -", "Bandit B105 1 -", "Bandit B301 1 -", "Bandit B307 1 -", "Bandit B403 1 -", "Bandit B404 1 -", "Bandit B602 1 -",
            ])
    }

    @Test(arguments: [
        (10.0, "critical"), (9.0, "critical"), (8.99, "high"), (7.0, "high"), (6.9, "medium"), (4.0, "medium"), (3.9, "low"), (0, "low"),
    ])
    func severityBuckets(score: Double, bucket: String) {
        #expect(SarifFindings.severityBucket(score) == bucket)
    }

    @Test(arguments: [
        (
            "SARIF/Malformed/truncated.sarif",
            InputFileError(file: "f", "not valid JSON: Unexpected end of file during JSON parse. (is the file truncated?)")
        ),
        ("SARIF/Malformed/empty.sarif", InputFileError(file: "f", "the file is empty; expected a JSON document")),
        ("SARIF/Malformed/not-json.sarif", InputFileError(file: "f", at: .byte(1), "not valid JSON: Invalid value around character 1.")),
        ("SARIF/Malformed/no-runs.sarif", InputFileError(file: "f", at: .path(""), "the required key 'runs' is missing")),
        ("SARIF/Malformed/wrong-version.sarif", InputFileError(file: "f", at: .path("version"), "'2.0.0' is not supported; expected '2.1.0'")),
        (
            "SARIF/Malformed/wrong-types.sarif",
            InputFileError(file: "f", at: .path("runs[0].results[1].level"), "expected a string, found another type")
        ),
    ])
    func malformedLogSaysWhereAndWhat(fixture: String, expected: InputFileError) throws {
        let data = try FixtureRepository.data(fixture)
        #expect(throws: expected) { try SarifCollector.findings(in: data, file: "f") }
    }

    @Test func unknownLevelAndNonNumericSeverityAreErrors() throws {
        func log(level: String, severity: String) -> Data {
            Data(
                """
                {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "rules": [
                    {"id": "r", "properties": {"security-severity": "\(severity)"}}]}},
                  "results": [{"ruleId": "r", "level": "\(level)", "message": {"text": "m"}}]}]}
                """.utf8)
        }
        #expect(
            throws: InputFileError(
                file: "x.sarif", at: .path("runs[0].results[0].level"), "'fatal' is not a level; expected error, warning, note or none")
        ) { try SarifCollector.findings(in: log(level: "fatal", severity: "5.0"), file: "x.sarif") }
        #expect(
            throws: InputFileError(
                file: "x.sarif", at: .path("runs[0].tool.driver.rules[0].properties.security-severity"),
                "'high' is not a score; expected a number such as \"7.5\"")
        ) { try SarifCollector.findings(in: log(level: "error", severity: "high"), file: "x.sarif") }
    }
}
