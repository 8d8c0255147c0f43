import Dispatch
import Foundation
import Synchronization

/// Work over `0..<count` cut into contiguous runs that are done side by side, one thread each.
///
/// An alert round reads thousands of metric windows and evaluates a thousand rules; on a machine with several processors
/// those are split this way. Results come back in run order, so callers see the same order as a sequential loop.
public enum ParallelRuns {
    /// The runs `0..<count` is cut into: at most `maximum` runs (the processors when nil) of near-equal length, and no
    /// more than leave each run `minimumLength` items, so small inputs stay in one run on the calling thread.
    public static func ranges(count: Int, minimumLength: Int, maximum: Int? = nil) -> [Range<Int>] {
        let parts = max(1, min(maximum ?? ProcessInfo.processInfo.activeProcessorCount, count / max(1, minimumLength)))
        return (0..<parts).map { part in (count * part / parts)..<(count * (part + 1) / parts) }
    }

    /// Calls `body` for each of ``ranges(count:minimumLength:maximum:)`` at once and returns the results in run order. When
    /// runs throw, every run still ends first and the error of the earliest run is thrown.
    public static func map<T: Sendable>(
        count: Int, minimumLength: Int, maximum: Int? = nil,
        _ body: @Sendable (Range<Int>) throws -> T
    ) throws -> [T] {
        let runs = ranges(count: count, minimumLength: minimumLength, maximum: maximum)
        if runs.count == 1 { return [try body(runs[0])] }
        let results = Mutex([Result<T, any Error>?](repeating: nil, count: runs.count))
        DispatchQueue.concurrentPerform(iterations: runs.count) { run in
            let result = Result { try body(runs[run]) }
            results.withLock { $0[run] = result }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }
}
