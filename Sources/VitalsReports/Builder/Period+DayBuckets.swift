public import Foundation
public import VitalsCore

extension Period {
    /// Bucket boundaries for one bucket per local day: `from`, the midnights inside the period, and `to`.
    ///
    /// The first and last buckets are partial days when the period does not start or end at a midnight.
    public func dayBuckets(in timeZone: TimeZone) -> [Timestamp] {
        [from] + dayStarts(in: timeZone).filter { $0 > from } + [to]
    }
}
