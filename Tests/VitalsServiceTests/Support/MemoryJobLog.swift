import Synchronization
import VitalsCore
import VitalsService

/// A job-run log in memory, which tests read and wait on.
actor MemoryJobLog: JobRunRecorder {
    private(set) var runs: [JobRunRecord] = []
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(_ runs: [JobRunRecord] = []) {
        self.runs = runs
    }

    func record(_ run: JobRunRecord) {
        runs.append(run)
        let ready = waiters.filter { $0.count <= runs.count }
        waiters.removeAll { $0.count <= runs.count }
        for waiter in ready { waiter.continuation.resume() }
    }

    func latestRun(of job: String) -> Timestamp? {
        runs.filter { $0.job == job }.map(\.scheduled).max()
    }

    /// Returns once `count` runs are recorded.
    func waitFor(_ count: Int) async {
        guard runs.count < count else { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }
}

/// A door a test job waits at until the test opens it. `wait()` also returns when the waiting task is cancelled, unless
/// the gate ignores cancellation (a job that does not cooperate).
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    let ignoresCancellation: Bool

    init(ignoresCancellation: Bool = false) {
        self.ignoresCancellation = ignoresCancellation
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async throws {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.open || (Task.isCancelled && !ignoresCancellation) { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            guard !ignoresCancellation else { return }
            open()
        }
        if !ignoresCancellation { try Task.checkCancellation() }
    }
}
