import ArgumentParser
import Foundation
import VitalsCollectors
import VitalsCore

/// `vitals doctor`: for each configured source, whether its token's variable is set and whether one cheap request with it
/// succeeds, with the fix for each failure.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check each configured source: its environment variables and one request.",
        discussion: """
            For every source: whether the variable its token_env names is set, then one cheap request with it (github: the \
            repository; sentry: the project; linear: viewer { id }; sonarqube: api/authentication/validate; http_probe: \
            its URL; prometheus: the query vector(1)). Each failure comes with what to change. Exits 1 when any check fails. \
            Stores nothing.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let (config, root, _) = try Workspace.configuration(global, environment: environment, requireTokens: false)
        let findings = await SourceDoctor.check(config.sources, context: CollectorContext(root: root, environment: environment))
        print(SourceDoctor.text(findings), terminator: "")
        if findings.contains(where: { !$0.passed }) { throw ExitCode.failure }
    }
}
