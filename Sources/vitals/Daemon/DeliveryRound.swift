import Logging
import VitalsCore
import VitalsNotify
import VitalsService

/// The outbox's delivery as the daemon's slotted work: at every multiple of `interval`, what is due is sent, as
/// `vitals outbox flush` does without waiting, on the dispatcher's claims and, on SQLite, under the same dispatch lock (so a
/// `vitals report --send` beside the daemon never sends a delivery twice). Runs on the leader only, like the jobs and the
/// alert rounds.
struct DeliveryRound: SlottedRound {
    let outbox: OutboxWorkspace
    let interval: TimeSpan
    let logger: Logger

    func nextSlot(after instant: Timestamp) -> Timestamp? {
        let step = interval.milliseconds
        return Timestamp(milliseconds: (instant.milliseconds / step + 1) * step)
    }

    /// Sends what is due; a failure (the lock held by a stuck process, the store unreadable) is logged and the next slot
    /// tries again, since nothing was lost: the deliveries stay queued.
    func run(at now: Timestamp) async throws -> [SlotIteration] {
        do {
            let summary = try await outbox.exclusively { try await outbox.dispatcher.dispatchDue() }
            if summary.delivered + summary.retried + summary.dead.count > 0 {
                logger.notice(
                    "outbox delivered",
                    metadata: [
                        "delivered": "\(summary.delivered)", "retried": "\(summary.retried)", "dead": "\(summary.dead.count)",
                        "pending": "\(summary.pending)",
                    ])
            }
        } catch {
            logger.error("outbox delivery failed", metadata: ["error": "\(error)"])
        }
        return []
    }
}
