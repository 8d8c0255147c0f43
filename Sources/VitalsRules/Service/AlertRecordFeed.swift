import Dispatch
import Synchronization

/// The rule records of a round, handed from its evaluation to its commit batch by batch, in rule-file order.
///
/// The round opens the commit before evaluating and sends each batch of rules as soon as they are evaluated, so the store
/// writes one batch while the next is evaluated (both take tens of milliseconds in a large round). The commit stays one
/// transaction: it ends when the feed ends, and rolls back when the evaluation fails.
public final class AlertRecordFeed: Sendable {
    private struct State {
        var batches: [[AlertRoundRecord.RuleRecord]] = []
        var taken = 0
        var finished = false
        var error: (any Error)?
    }
    private let state = Mutex(State())
    /// Signalled once per batch sent and once at the end, so a waiting ``next()`` looks again.
    private let changed = DispatchSemaphore(value: 0)

    /// An open feed, for the round to ``send(_:)`` to.
    init() {}

    /// A feed that already holds every record of a round, for callers that have the whole round at hand.
    public convenience init(_ records: [AlertRoundRecord.RuleRecord]) {
        self.init()
        send(records)
        finish()
    }

    /// Adds the next batch.
    func send(_ batch: [AlertRoundRecord.RuleRecord]) {
        state.withLock { $0.batches.append(batch) }
        changed.signal()
    }

    /// Ends the feed: after the batches sent so far, ``next()`` returns nil, or throws `error` when the evaluation failed.
    func finish(throwing error: (any Error)? = nil) {
        state.withLock {
            $0.finished = true
            $0.error = error
        }
        changed.signal()
    }

    /// The next batch, waiting until the round sends it; nil once the round has ended. Throws the evaluation's error
    /// instead, so that the commit writes nothing.
    public func next() throws -> [AlertRoundRecord.RuleRecord]? {
        while true {
            let step = state.withLock { state -> Result<[AlertRoundRecord.RuleRecord]?, any Error>? in
                if let error = state.error { return .failure(error) }
                if state.taken < state.batches.count {
                    state.taken += 1
                    return .success(state.batches[state.taken - 1])
                }
                return state.finished ? .success(nil) : nil
            }
            if let step { return try step.get() }
            changed.wait()
        }
    }
}
