import Dispatch

/// Runs blocking work (waiting on a child process) on a dispatch thread, so it does not hold one of
/// the few threads of Swift's cooperative pool while the program runs.
///
/// Each call has a queue of its own, which dispatch gives a thread even when all its pool's threads are taken: on Linux the
/// cooperative pool is dispatch's global queue, so blocking work queued there waits behind, and holds up, every task (a
/// command's timeout went unenforced for minutes under load). The same holds for the timers and pipe readers of `Command`.
func runBlocking<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue(label: "vitals.blocking").async {
            continuation.resume(with: Result { try work() })
        }
    }
}
