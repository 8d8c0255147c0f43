import Foundation
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsStorePostgres

#if canImport(Glibc)
    import Glibc
#endif

/// The workspace's outbox and the dispatcher for its configured channels. The outbox runs on the wall clock even when
/// `--now` is given (which sets a report's period), so backoffs and ages are real.
struct OutboxWorkspace {
    let workspace: Workspace
    let outbox: any OutboxStore
    let dispatcher: Dispatcher

    init(_ workspace: Workspace) throws {
        let outbox = workspace.store
        self.workspace = workspace
        self.outbox = outbox
        dispatcher = ChannelRegistry.dispatcher(
            config: workspace.config, channels: workspace.channels, store: outbox,
            context: NotifierContext(root: workspace.root, environment: workspace.environment), now: { SystemClock().now() })
    }

    static func now() -> Timestamp { SystemClock().now() }

    /// Runs `body` while holding the store's dispatch lock (`STORE.dispatch-lock`, an flock, or on PostgreSQL a session
    /// advisory lock), so two vitals processes never send the same delivery at once; the lock goes with the process, however
    /// it ends.
    func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let storeFile: String
        switch workspace.backend {
        case .sqlite(let file): storeFile = file
        case .postgres(let store): return try await store.holdingDispatchLock(waitingUpTo: .seconds(60), body)
        }
        let path = storeFile + ".dispatch-lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CommandFailure("cannot open the dispatch lock \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // Another dispatcher finishes its batch within the HTTP timeout; waiting longer means it is stuck.
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                throw CommandFailure("another vitals process has been delivering from this store for a minute (lock \(path)); try again later")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await body()
    }

    /// `delivered 3, retried 1, dead-lettered 1; 2 pending`, then one line per dead letter.
    static func text(_ summary: Dispatcher.Summary) -> String {
        var text = "delivered \(summary.delivered), retried \(summary.retried), dead-lettered \(summary.dead.count); \(summary.pending) pending\n"
        for dead in summary.dead {
            text += "dead letter \(dead.deliveryID): \(dead.key) to \(dead.channel): \(dead.error)\n"
        }
        return text
    }
}
