import ArgumentParser
import VitalsCore
import VitalsPorts
import VitalsStore

/// `vitals alerts history`: the recorded transitions.
struct AlertsHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List alert transitions (pending, firing, resolved, severity changes), oldest first.",
        discussion: """
            Every transition is recorded, notified or not (a silenced or flapping alert's transitions are here too).

            Examples:
              vitals alerts history                 the last 7 days
              vitals alerts history --since 24h
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("How far back to list, e.g. 24h or 30d.", valueName: "duration"))
    var since: String = "7d"

    func validate() throws {
        _ = try parseSpan(since)
    }

    func run() async throws {
        let alerts = try await AlertsWorkspace(global, access: .read)
        let start = alerts.now.subtracting(try parseSpan(since))
        print(AlertsText.history(try await alerts.store.alertHistory(since: start), since: start), terminator: "")
    }
}
