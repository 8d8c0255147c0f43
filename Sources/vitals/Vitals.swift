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
        subcommands: [
            ReportCommand.self, CollectCommand.self, QueryCommand.self, RulesCommand.self, AlertsCommand.self, ScheduleCommand.self, RunCommand.self,
            HousekeepingCommand.self, DoctorCommand.self, OutboxCommand.self, StoreCommand.self,
        ]
    )

    /// Runs the command line; usage errors exit 2 (not ArgumentParser's 64), and errors that carry their own
    /// position (`file:line:col: message`) print as they are.
    static func main() async {
        MallocArenas.bound()
        // The command parsed, so a usage error its run finds (an unknown metric) shows that command's usage.
        var parsed: (any ParsableCommand.Type)?
        do {
            var command = try parseAsRoot()
            parsed = type(of: command)
            // The daemon shuts down gracefully on these signals; every other command ends at once.
            if !(command is RunCommand) { StopSignals.install() }
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
                let message = parsed.map { usageError(error, command: $0) } ?? fullMessage(for: error)
                FileHandle.standardError.write(Data("\(message)\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// A usage error found while `command` ran, in the form ArgumentParser gives those it finds while parsing.
    static func usageError(_ error: any Error, command: any ParsableCommand.Type) -> String {
        let usage = usageString(for: command)
        let path = usage.prefix { $0 != "[" && $0 != "<" }.trimmingCharacters(in: .whitespaces)
        return "Error: \(message(for: error))\nUsage: \(usage)\n  See '\(path) --help' for more information."
    }
}
