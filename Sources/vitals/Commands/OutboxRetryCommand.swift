import ArgumentParser
import VitalsCore
import VitalsPorts

/// `vitals outbox retry ID`: a dead (or waiting) delivery made due again.
struct OutboxRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Queue a dead or waiting delivery again, due now, with its attempts counted from zero.",
        discussion: """
            ID is the first column of `vitals outbox list`. Delivered deliveries cannot be retried (send a report again \
            with `vitals report NAME --send --force`). The delivery goes out with the next `vitals outbox flush` (or the \
            daemon's next dispatch).

            Example:
              vitals outbox retry 42 && vitals outbox flush
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The delivery's ID, as `vitals outbox list` shows it.", valueName: "id"))
    var id: Int64

    func run() async throws {
        let outbox = try await OutboxWorkspace(Workspace(global)).outbox
        guard try await outbox.retry(deliveryID: id, at: OutboxWorkspace.now()) else {
            throw CommandFailure("no delivery \(id) to retry: it does not exist or was delivered (see vitals outbox list)")
        }
        print("delivery \(id) is due again; vitals outbox flush sends it")
    }
}
