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
