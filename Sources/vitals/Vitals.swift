import ArgumentParser
import Foundation
import VitalsCore

/// The `vitals` command: project-health metrics collected, stored, reported and alerted on.
@main
struct Vitals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitals",
        abstract: "Project-health monitoring: collect code-quality, stability and velocity metrics, report on them, alert on them.",
        discussion: """
            With no vitals.yml, vitals reads the git repository in the working directory (history, coverage files, \
            SARIF files, code markers) and keeps its samples in .vitals/vitals.db.

            Start with:  vitals report --since 7d

            Times are RFC 3339 (2026-11-25T08:00:00Z); durations use s, m, h, d, w (30m, 7d, 1h30m).
            Exit codes: 0 ok, 1 failure or failing check, 2 usage error.
            """,
        version: "0.1.0",
        subcommands: [ReportCommand.self, CollectCommand.self, QueryCommand.self, RulesCommand.self, AlertsCommand.self]
    )

    /// Runs the command line; usage errors exit 2 (not ArgumentParser's 64), and errors that carry their own
    /// position (`file:line:col: message`) print as they are.
    static func main() async {
        StopSignals.install()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as any UserFacingError {
            FileHandle.standardError.write(Data("\(error.userMessage)\n".utf8))
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
