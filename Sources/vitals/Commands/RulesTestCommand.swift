import ArgumentParser
import Foundation
import VitalsRules

/// `vitals rules test`: runs rule unit tests written in promtool's format.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule unit tests (promtool's test file format); exit 1 if any fails.",
        discussion: """
            Each test file names its rule files (relative to itself), input series in promtool's expanding notation \
            (0+10x100, 1-2x5, _, stale) and the alerts or samples expected at given times. Alerts follow vitals' \
            semantics (for, keep_firing_for, resolve, thresholds, no_data); see docs/rule-tests.md. A test file is \
            self-contained: --config, --store and --now are accepted, as by every command, and not used.

            Examples:
              vitals rules test rules/tests/*.yml
              vitals rules test rules/tests/stability.yml
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Test files to run.", valueName: "file"))
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            let result = RuleTestRunner.run(contentsOf: file)
            print(RuleTestReport.render(result), terminator: "")
            failed = failed || !result.passed
        }
        if failed { throw ExitCode.failure }
    }
}
