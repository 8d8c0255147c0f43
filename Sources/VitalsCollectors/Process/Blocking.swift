import Dispatch

/// Runs blocking work (waiting on a child process) on a dispatch thread, so it does not hold one of
/// the few threads of Swift's cooperative pool while the program runs.
func runBlocking<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
