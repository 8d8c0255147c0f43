import ArgumentParser
import VitalsRules
import VitalsStore

/// `vitals alerts silences`: the stored silences.
struct AlertsSilencesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silences",
        abstract: "List the silences in force or scheduled (with --all, the expired ones too).",
        discussion: "Mute windows (recurring, from vitals.yml `mute_windows:`) are not listed here; see `vitals.yml`."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Include expired silences.")
    var all = false

    func run() throws {
        let alerts = try AlertsWorkspace(global, access: .read)
        let silences = all ? try alerts.store.allSilences() : try alerts.store.silences(notEndedAt: alerts.now)
        print(AlertsText.silences(silences, now: alerts.now), terminator: "")
    }
}
