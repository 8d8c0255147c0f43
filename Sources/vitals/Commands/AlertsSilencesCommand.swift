import ArgumentParser
import VitalsPorts
import VitalsRules
import VitalsStore

/// `vitals alerts silences`: the stored silences.
struct AlertsSilencesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silences",
        abstract: "List the silences in force or scheduled (with --all, the expired ones too).",
        discussion: "Mute windows (recurring, from vitals.yml `mute_windows:`) are not listed here; see `vitals.yml`."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Include expired silences.")
    var all = false

    func run() async throws {
        let alerts = try await AlertsWorkspace(global, access: .read)
        let silences = all ? try await alerts.store.allSilences() : try await alerts.store.silences(notEndedAt: alerts.now)
        print(AlertsText.silences(silences, now: alerts.now), terminator: "")
    }
}
