import Foundation

/// Runs blocking work (waiting on a child process) on a thread of its own, so it holds neither one of the few threads of
/// Swift's cooperative pool nor one of the dispatch pool's, which on a loaded machine running many commands may all be
/// blocked (a timeout's kill would then wait for a free one).
func runBlocking<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        onOwnThread { continuation.resume(with: Result { try work() }) }
    }
}

/// Starts `work` on a new thread and returns at once.
func onOwnThread(_ work: @escaping @Sendable () -> Void) {
    Thread.detachNewThread(work)
}
