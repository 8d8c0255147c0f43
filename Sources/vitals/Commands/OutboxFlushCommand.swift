import ArgumentParser
import VitalsCore
import VitalsPorts
import VitalsNotify

/// `vitals outbox flush`: deliver what is due, optionally waiting for retries.
struct OutboxFlushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush",
        abstract: "Deliver everything due in the outbox; exit 0 if nothing is left pending, 1 otherwise.",
        discussion: """
            Routes new alert notifications to their channels (the rule's notify:, else routing: by severity, else the \
            default channels), then sends every due delivery, each channel's in the order queued and no faster than its \
            rate_limit. With --wait, keeps going while the next retry falls within that time, sleeping until it is due.

            Prints what was delivered, retried and dead-lettered. Exits 1 when deliveries are still pending at the end \
            (their next attempt lies beyond --wait), so a script can tell an empty outbox from one that is not.

            Examples:
              vitals outbox flush
              vitals outbox flush --wait 60s
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("How long to wait for retries that are not due yet (e.g. 60s, 5m); 0s sends only what is due.", valueName: "duration"))
    var wait: String = "0s"

    func validate() throws { _ = try span() }

    func span() throws -> TimeSpan {
        do {
            return try TimeSpan(parsing: wait)
        } catch {
            throw ValidationError("--wait: \(error)")
        }
    }

    func run() async throws {
        let outbox = try await OutboxWorkspace(Workspace(global))
        let summary = try await outbox.exclusively { try await outbox.dispatcher.flush(waitingUpTo: try span()) }
        print(OutboxWorkspace.text(summary), terminator: "")
        if summary.pending > 0 {
            throw CommandFailure("\(summary.pending) deliver\(summary.pending == 1 ? "y is" : "ies are") still pending (vitals outbox list)")
        }
    }
}
