import Dispatch
import Foundation
import Synchronization

/// Work started on a thread of its own, whose result the starter waits for later.
///
/// A thread of its own, not a dispatch queue: the work may wait for the starter (an alert round's commit waits for the
/// records the round evaluates meanwhile), and a pool that ran it behind other work could then wait forever.
public final class BackgroundThread<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let ended = DispatchSemaphore(value: 0)

    /// Starts `body` at once.
    public init(_ body: @escaping @Sendable () throws -> Value) {
        Thread { [self] in
            let outcome = Result { try body() }
            result.withLock { $0 = outcome }
            ended.signal()
        }.start()
    }

    /// Waits for the work to end and returns its value, or throws its error.
    public func wait() throws -> Value {
        ended.wait()
        ended.signal()  // a second wait returns at once
        return try result.withLock { $0! }.get()
    }
}
