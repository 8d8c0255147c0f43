import ArgumentParser
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// `vitals alerts unsilence`: ends a silence now.
struct AlertsUnsilenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsilence",
        abstract: "End a silence now; notifications it held go out at the next evaluation if still due.",
        discussion: "The silence is kept, expired, so `vitals alerts silences --all` still shows it. Example: vitals alerts unsilence 3f2a9c1d0b7e"
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The silence id, as `vitals alerts silences` shows it.", valueName: "id"))
    var id: String

    func run() async throws {
        let alerts = try await AlertsWorkspace(global)
        guard let silence = try await alerts.store.expireSilence(id: id, at: alerts.now) else {
            let known = try await alerts.store.silences(notEndedAt: alerts.now).map(\.id)
            throw CommandFailure(
                "no silence with id \(id); \(known.isEmpty ? "there are no active silences" : "active: \(known.joined(separator: ", "))")")
        }
        print("silence \(silence.id) ended at \(silence.endsAt)")
    }
}
