import Foundation
import VitalsCore

/// The hour and day bucket boundaries rollups are cut at: UTC hours, and midnights in the store's time zone.
struct BucketGrid: Sendable {
    static let hour: Int64 = 3_600_000

    let days: LocalDays

    init(timeZone: TimeZone) {
        days = LocalDays(timeZone)
    }

    var timeZone: TimeZone { days.timeZone }

    /// The start of the UTC hour holding `ms` (floor division, so instants before 1970 land in the right hour too).
    static func hourStart(_ ms: Int64) -> Int64 {
        ms - ((ms % hour) + hour) % hour
    }

    /// The first whole hour at or after `ms`.
    static func hourCeiling(_ ms: Int64) -> Int64 {
        let start = hourStart(ms)
        return start == ms ? ms : start + hour
    }

    /// The first instant of the local day holding `ms`.
    func dayStart(_ ms: Int64) -> Int64 {
        days.start(of: Timestamp(milliseconds: ms)).milliseconds
    }

    /// The first local day start at or after `ms`.
    func dayCeiling(_ ms: Int64) -> Int64 {
        let start = dayStart(ms)
        return start == ms ? ms : days.nextStart(after: Timestamp(milliseconds: ms)).milliseconds
    }

    /// Every local day start from the one at or before `from` to the first one after `through`, in order,
    /// so each instant in `[from, through]` falls between two consecutive entries.
    func dayStarts(from: Int64, through: Int64) -> [Int64] {
        days.starts(from: Timestamp(milliseconds: from), through: Timestamp(milliseconds: through)).map(\.milliseconds)
    }
}
