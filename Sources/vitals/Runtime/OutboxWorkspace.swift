import Foundation
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts

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
        // On SQLite the dispatch lock makes every dispatcher on the file one at a time: they claim as one, so the claims of a
        // process killed while sending are the next one's at once. On PostgreSQL each dispatcher claims as itself.
        let claimant: String =
            switch workspace.backend {
            case .sqlite(let file): "holder of \(file).dispatch-lock"
            case .postgres: UUID().uuidString
            }
        dispatcher = ChannelRegistry.dispatcher(
            config: workspace.config, channels: workspace.channels, store: outbox,
            context: NotifierContext(root: workspace.root, environment: workspace.environment), now: { SystemClock().now() }, claimant: claimant)
    }

    static func now() -> Timestamp { SystemClock().now() }

    /// Runs `body` while holding the store's dispatch lock (`STORE.dispatch-lock`, an flock), so two vitals processes on one
    /// SQLite file take turns; the lock goes with the process, however it ends. On PostgreSQL dispatchers run side by side:
    /// each claims what it sends (``Dispatcher``), so none sends what another does.
    func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let storeFile: String
        switch workspace.backend {
        case .sqlite(let file): storeFile = file
        case .postgres: return try await body()
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
