import ArgumentParser
import Foundation
import VitalsCore
import VitalsPorts
import VitalsStore

/// `vitals outbox list`: the deliveries, one line each.
struct OutboxListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the outbox's deliveries (one per message and channel), oldest first.",
        discussion: """
            Columns: the delivery's ID (what `vitals outbox retry` takes), its status (pending, delivered, dead), the \
            channel, the attempts made, when it is next due (pending) or ended (delivered, dead), the message (an \
            alert's rule, labels and event, or a report's key), and the last error with the receiver's status code.

            Examples:
              vitals outbox list
              vitals outbox list --status dead
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only deliveries with this status: pending, delivered or dead.", valueName: "status"))
    var status: String?

    func validate() throws {
        if let status, DeliveryStatus(rawValue: status) == nil {
            throw ValidationError("'\(status)' is not a delivery status; use pending, delivered or dead")
        }
    }

    func run() async throws {
        let outbox = try await OutboxWorkspace(Workspace(global, access: .read)).outbox
        let deliveries = try await outbox.deliveries(status: status.flatMap(DeliveryStatus.init(rawValue:)))
        guard !deliveries.isEmpty else {
            print(status.map { "no \($0) deliveries" } ?? "the outbox is empty")
            return
        }
        let rows = deliveries.map { delivery in
            [
                String(delivery.id), delivery.status.rawValue, delivery.channel, String(delivery.attempts),
                (delivery.status == .pending ? delivery.nextAttemptAt : delivery.finishedAt ?? delivery.nextAttemptAt).description,
                Self.describe(delivery.message), delivery.lastError ?? "",
            ]
        }
        let header = ["ID", "STATUS", "CHANNEL", "ATTEMPTS", "DUE/ENDED", "MESSAGE", "LAST ERROR"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0) }
            print(cells.joined(separator: "  ").trimmingTrailingSpaces)
        }
    }

    /// `api/HighErrorRate{service="api"} firing`, or a report's key (`report:daily@PERIOD`).
    static func describe(_ message: OutboxMessage) -> String {
        switch message.payload {
        case .alert(let alert): "\(alert.group)/\(alert.alert)\(alert.labels) \(alert.event.rawValue)"
        case .report: message.idempotencyKey
        }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
