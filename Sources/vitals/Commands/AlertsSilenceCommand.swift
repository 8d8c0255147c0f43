import Foundation
import ArgumentParser
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// `vitals alerts silence`: holds the notifications of matching alerts for a while.
struct AlertsSilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence",
        abstract: "Silence matching alerts for a while: their state still advances, their notifications are held.",
        discussion: """
            Matchers are written as in Alertmanager, comma-separated: name=value, name!=value, name=~regex, name!~regex. \
            Regular expressions match the whole value; a label an alert lacks matches as empty; quote a value that \
            contains a comma. `alertname` is the rule's `alert:` name; the rule's labels and the alert's labels match too.

            A held notification goes out when the silence ends if it is still due (the alert still fires, or a resolve \
            was not yet sent). Prints the new silence's id, for `vitals alerts unsilence ID`.

            Examples:
              vitals alerts silence --match 'alertname=HighErrorRate,service=api' \\
                  --for 2h --comment "deploy"
              vitals alerts silence --match 'team=~"core|infra"' --for 30m \\
                  --start 2026-11-25T22:00:00Z
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The alerts to silence, e.g. alertname=HighErrorRate,service=api.", valueName: "matchers"))
    var match: String

    @Option(name: .customLong("for"), help: ArgumentHelp("How long the silence lasts, e.g. 2h.", valueName: "duration"))
    var duration: String

    @Option(help: ArgumentHelp("Why: shown in `vitals alerts silences`.", valueName: "text"))
    var comment: String = ""

    @Option(help: ArgumentHelp("Who silenced (default $USER).", valueName: "name"))
    var author: String?

    @Option(help: ArgumentHelp("When it starts, RFC 3339 (default now).", valueName: "time"))
    var start: String?

    func validate() throws {
        let matchers = try self.matchers()
        if matchers.isEmpty { throw ValidationError("--match: give at least one matcher, e.g. --match alertname=HighErrorRate") }
        if try parseSpan(duration).milliseconds <= 0 { throw ValidationError("--for: '\(duration)' is not longer than zero; give e.g. 2h") }
        if let start { _ = try parseTime(start, option: "--start") }
    }

    func matchers() throws -> [SilenceMatcher] {
        do {
            return try SilenceMatcher.parseList(match)
        } catch {
            throw ValidationError("--match: \(error)")
        }
    }

    func run() async throws {
        let alerts = try await AlertsWorkspace(global)
        let startsAt = try start.map { try parseTime($0, option: "--start") } ?? alerts.now
        let id = String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(12))
        let silence = Silence(
            id: id, matchers: try matchers(), startsAt: startsAt, endsAt: startsAt.adding(try parseSpan(duration)), comment: comment,
            createdBy: author ?? ProcessInfo.processInfo.environment["USER"] ?? "")
        try await alerts.store.addSilence(silence)
        print("silence \(id) from \(silence.startsAt) until \(silence.endsAt): \(silence.matchers.map(\.description).joined(separator: ","))")
    }
}
