import Foundation
import VitalsCore

/// The hour and day bucket boundaries rollups are cut at: UTC hours, and midnights in the store's time zone.
struct BucketGrid: Sendable {
    static let hour: Int64 = 3_600_000

    let timeZone: TimeZone

    /// The start of the UTC hour holding `ms` (floor division, so instants before 1970 land in the right hour too).
    static func hourStart(_ ms: Int64) -> Int64 {
        ms - ((ms % hour) + hour) % hour
    }

    /// The first whole hour at or after `ms`.
    static func hourCeiling(_ ms: Int64) -> Int64 {
        let start = hourStart(ms)
        return start == ms ? ms : start + hour
    }

    private var calendar: Calendar { Calendar.gregorian(in: timeZone) }

    /// The local midnight at or before `ms`.
    func dayStart(_ ms: Int64) -> Int64 {
        Timestamp(calendar.startOfDay(for: Timestamp(milliseconds: ms).date)).milliseconds
    }

    /// The local midnight after the day that starts at `dayStart`; 23 or 25 hours later on DST days.
    func nextDayStart(after dayStart: Int64) -> Int64 {
        Timestamp(calendar.date(byAdding: .day, value: 1, to: Timestamp(milliseconds: dayStart).date)!).milliseconds
    }

    /// The first local midnight at or after `ms`.
    func dayCeiling(_ ms: Int64) -> Int64 {
        let start = dayStart(ms)
        return start == ms ? ms : nextDayStart(after: start)
    }

    /// Every local midnight from the one at or before `from` to the first one after `through`, in order,
    /// so each instant in `[from, through]` falls between two consecutive entries.
    func dayStarts(from: Int64, through: Int64) -> [Int64] {
        var starts = [dayStart(from)]
        while starts[starts.count - 1] <= through {
            starts.append(nextDayStart(after: starts[starts.count - 1]))
        }
        return starts
    }
}

extension Array where Element == Int64 {
    /// The index of the last element `<= value`, for a sorted array whose first element is `<= value`.
    func lastIndex(notAfter value: Int64) -> Int {
        var low = 0
        var high = count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if self[middle] <= value { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
