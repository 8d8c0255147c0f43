import Synchronization
import VitalsCore

/// One bucket `[from, to)` of a summaries request, with the whole local days inside it (nil when it holds none).
struct BucketPlan: Sendable {
    let from: Int64
    let to: Int64
    /// From the first midnight at or after `from` to the last midnight at or before `to`.
    let days: Range<Int64>?
}

/// Remembers the plans of the last few bucket layouts asked for, so the midnights of a layout are found once per report,
/// not once per series.
final class BucketPlanCache: Sendable {
    private static let capacity = 8
    private let plans = Mutex<[(boundaries: [Int64], plan: [BucketPlan])]>([])

    func plan(for boundaries: [Timestamp], grid: BucketGrid) -> [BucketPlan] {
        let key = boundaries.map(\.milliseconds)
        if let known = plans.withLock({ $0.first { $0.boundaries == key }?.plan }) { return known }
        let plan = zip(key, key.dropFirst()).map { from, to in
            guard from < to else { return BucketPlan(from: from, to: to, days: nil) }
            let firstMidnight = grid.dayCeiling(from)
            let lastMidnight = grid.dayStart(to)
            return BucketPlan(from: from, to: to, days: firstMidnight < lastMidnight ? firstMidnight..<lastMidnight : nil)
        }
        plans.withLock { plans in
            plans.append((key, plan))
            if plans.count > Self.capacity { plans.removeFirst() }
        }
        return plan
    }
}
