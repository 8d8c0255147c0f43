public import Foundation
public import VitalsCore

/// A cron expression read in a time zone: the instants it runs at.
///
/// Daylight-saving changes follow Debian cron, which the common cron libraries (cronsim among them) mimic:
/// - a job at fixed times of day (``CronExpression/isFixedTime``) keeps its wall time: a time that a spring-forward
///   change skips runs once, at the first instant after the gap (02:30 runs at 03:00 that day), and a time that a
///   fall-back change repeats runs once, at its first occurrence; 08:00 stays 08:00 local across both changes;
/// - a job whose minute or hour field begins with `*` runs at every instant whose local wall time matches, so it keeps
///   its rhythm in real time: nothing runs in a skipped hour, and a repeated hour runs twice.
///
/// Local days come from the zone's own rules (a zone whose change happens at midnight has days that begin at 01:00).
/// Nothing here reads the clock: every question takes the instant to start from.
public struct CronSchedule: Sendable {
    public let expression: CronExpression
    public let timeZone: TimeZone

    /// How far ahead a search goes before it gives up, in years of wall time.
    static let horizonYears = 50

    public init(_ expression: CronExpression, timeZone: TimeZone) {
        self.expression = expression
        self.timeZone = timeZone
    }

    /// The first run strictly after `instant`; nil when the expression matches no time in the next 50 years.
    public func next(after instant: Timestamp) -> Timestamp? {
        expression.isFixedTime ? nextFixedTime(after: instant.milliseconds) : nextInRealTime(after: instant.milliseconds)
    }

    /// The next `count` runs strictly after `instant`, in order (fewer when the expression runs out).
    public func runs(after instant: Timestamp, count: Int) -> [Timestamp] {
        var runs: [Timestamp] = []
        var cursor = instant
        while runs.count < count, let run = next(after: cursor) {
            runs.append(run)
            cursor = run
        }
        return runs
    }

    // MARK: - Fixed times of day: wall time first, then the instant it names

    private func nextFixedTime(after afterMilliseconds: Int64) -> Timestamp? {
        var cursor = afterMilliseconds + Int64(offset(atMilliseconds: afterMilliseconds)) * 1000
        while let minute = nextWallMinute(after: cursor, inclusive: false) {
            let wall = minute * 60
            let instant: Int64
            if let first = instants(atWall: wall).first {
                instant = first
                cursor = wall * 1000
            } else if let gap = gapEnd(containing: wall) {
                // The first whole wall minute after the gap, as Debian cron runs a skipped job.
                let wallEnd = (gap.wall + 59).floorDivided(by: 60) * 60
                instant = wallEnd - Int64(gap.offsetAfter)
                cursor = wallEnd * 1000
            } else {
                cursor = wall * 1000
                continue
            }
            // A repeated wall time whose first occurrence has passed has run: it does not run again.
            if instant * 1000 > afterMilliseconds { return Timestamp(milliseconds: instant * 1000) }
        }
        return nil
    }

    /// Every instant whose wall time is `wall` (seconds as if UTC), earliest first: one normally, two in a repeated
    /// hour, none in a gap.
    private func instants(atWall wall: Int64) -> [Int64] {
        // Offsets in force within 30 hours either side cover every change, a skipped or repeated day included.
        let offsets = Set([offset(atSeconds: wall - 108_000), offset(atSeconds: wall), offset(atSeconds: wall + 108_000)])
        return offsets.map { wall - Int64($0) }.filter { offset(atSeconds: $0) == Int(wall - $0) }.sorted()
    }

    /// The change whose gap contains the wall time `wall`: the instant it happens and the wall time it jumps to.
    private func gapEnd(containing wall: Int64) -> (wall: Int64, offsetAfter: Int)? {
        var searchFrom = Date(timeIntervalSince1970: Double(wall - 108_000))
        while let change = timeZone.nextDaylightSavingTimeTransition(after: searchFrom) {
            let instant = Int64(change.timeIntervalSince1970.rounded(.down))
            guard instant <= wall + 108_000 else { return nil }
            let before = offset(atSeconds: instant - 1)
            let after = offset(atSeconds: instant)
            if instant + Int64(before) <= wall, wall < instant + Int64(after) { return (instant + Int64(after), after) }
            searchFrom = change
        }
        return nil
    }

    // MARK: - Other jobs: real time, one stretch of constant offset at a time

    private func nextInRealTime(after afterMilliseconds: Int64) -> Timestamp? {
        var start = afterMilliseconds
        var inclusive = false
        for _ in 0..<(Self.horizonYears * 8) {
            let offsetMilliseconds = Int64(offset(atMilliseconds: start)) * 1000
            let stretchEnd = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(start) / 1000))
                .map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) }
            guard let minute = nextWallMinute(after: start + offsetMilliseconds, inclusive: inclusive) else { return nil }
            let candidate = minute * 60_000 - offsetMilliseconds
            guard let stretchEnd, candidate >= stretchEnd else { return Timestamp(milliseconds: candidate) }
            start = stretchEnd
            inclusive = true
        }
        return nil
    }

    // MARK: - Wall time

    /// The first wall minute (minutes since 1970-01-01T00:00 local) matching the expression after `wallMilliseconds`
    /// (at or after it when `inclusive`).
    func nextWallMinute(after wallMilliseconds: Int64, inclusive: Bool) -> Int64? {
        var minute = inclusive ? (wallMilliseconds + 59_999).floorDivided(by: 60_000) : wallMilliseconds.floorDivided(by: 60_000) + 1
        let limit = minute + Int64(Self.horizonYears) * 366 * 1440
        while minute <= limit {
            let day = minute.floorDivided(by: 1440)
            let date = CivilDate(daysSinceEpoch: Int(day))
            guard expression.months.contains(date.month) else {
                let next = date.month == 12 ? CivilDate(year: date.year + 1, month: 1, day: 1) : CivilDate(year: date.year, month: date.month + 1, day: 1)
                minute = Int64(next.daysSinceEpoch) * 1440
                continue
            }
            guard expression.matches(date) else {
                minute = (day + 1) * 1440
                continue
            }
            let minuteOfDay = Int(minute - day * 1440)
            let hour = minuteOfDay / 60
            if expression.hours.contains(hour), let match = expression.minutes.first(atLeast: minuteOfDay % 60) {
                return day * 1440 + Int64(hour * 60 + match)
            }
            if let laterHour = expression.hours.first(atLeast: hour + 1), laterHour <= 23, let first = expression.minutes.min {
                return day * 1440 + Int64(laterHour * 60 + first)
            }
            minute = (day + 1) * 1440
        }
        return nil
    }

    private func offset(atSeconds seconds: Int64) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
    }

    private func offset(atMilliseconds milliseconds: Int64) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds.floorDivided(by: 1000))))
    }
}

extension Int64 {
    /// Division rounding towards negative infinity, for times before 1970.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
