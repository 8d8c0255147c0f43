import Foundation
import Testing
import VitalsRules

/// "Prometheus rule files load unchanged": real rule collections and Prometheus' documentation examples
/// (`Fixtures/PrometheusRules`, sources in its README) load, parse, type-check and lint without an error.
@Suite struct PrometheusCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/PrometheusRules")

    static let files: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yml") }.sorted()
    }()

    @Test func corpusIsThere() {
        #expect(Self.files.count == 12)
    }

    @Test(arguments: files)
    func loadsAndChecksWithoutErrors(file: String) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let ruleFile = try RuleFileLoader.load(contentsOf: path)
        #expect(!ruleFile.groups.isEmpty)
        for group in ruleFile.groups {
            for rule in group.rules { _ = try rule.expr.parse() }
        }
        let errors = RuleLinter().lint(ruleFile).filter { $0.level == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
    }

    /// The corpus is what promtool accepts: if promtool is installed, it agrees that every file is valid.
    @Test(.enabled(if: PromtoolDifferentialTests.promtool != nil, "promtool is not installed"), arguments: files)
    func promtoolAcceptsTheCorpus(file: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PromtoolDifferentialTests.promtool!)
        process.arguments = ["check", "rules", "--lint=none", Self.folder.appendingPathComponent(file).path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
