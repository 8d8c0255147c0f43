import ArgumentParser
import VitalsPorts
import VitalsStore

/// `vitals alerts list`: the alerts firing or pending now.
struct AlertsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the alerts firing or pending, with since when and their last value.",
        discussion: """
            Shows the state the last `vitals alerts evaluate` left: firing alerts first (SINCE is when they fired), \
            then pending ones (SINCE is when their condition started holding; they fire once it has held for `for:`).
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let alerts = try await AlertsWorkspace(global, access: .read)
        print(AlertsText.active(try await alerts.store.activeAlerts()), terminator: "")
    }
}
