public import Foundation

/// The local days of a time zone: where each one starts, the one place vitals works that out.
///
/// Every day's start is asked of the calendar (its first instant, the local midnight or, where midnight falls in a
/// daylight-saving gap, the instant the clocks jump to), never found by adding 24 hours or "one day" to the previous start:
/// in zones whose clocks change at midnight (America/Santiago, Asia/Tehran, …) the day after a change starts at 01:00,
/// and one day added to it is 01:00 again, an hour after that day really started.
public struct LocalDays: Sendable, Hashable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
        calendar = Calendar.gregorian(in: timeZone)
    }

    /// The first instant of the local day holding `instant`.
    public func start(of instant: Timestamp) -> Timestamp {
        let start = calendarStart(of: instant)
        // Where clocks go back across midnight (America/St_Johns' changes at 00:01 until 2011), an instant can show the
        // previous date after the next day has begun; it belongs to the day that began, so days never overlap.
        guard timeZone.secondsFromGMT(for: instant.date) < timeZone.secondsFromGMT(for: start.date) else { return start }
        var day = start
        var next = nextStart(afterDayStarting: day)
        while next <= instant {
            day = next
            next = nextStart(afterDayStarting: day)
        }
        return day
    }

    /// Whether `instant` is the first instant of its local day.
    public func isStart(_ instant: Timestamp) -> Bool {
        start(of: instant) == instant
    }

    /// The first instant of the local day after the one holding `instant`.
    public func nextStart(after instant: Timestamp) -> Timestamp {
        nextStart(afterDayStarting: start(of: instant))
    }

    private func nextStart(afterDayStarting start: Timestamp) -> Timestamp {
        // A day lasts 22 to 26 hours around clock changes (a whole skipped day, as Pacific/Apia's 2011-12-30, makes the
        // previous one end at the next existing day); 24 hours on is in the next day unless this one is longer, then hours on.
        var probe = start.adding(.hours(24))
        var next = calendarStart(of: probe)
        while next <= start {
            probe = probe.adding(.hours(1))
            next = calendarStart(of: probe)
        }
        return next
    }

    /// The calendar's first instant of the local date `instant` shows.
    private func calendarStart(of instant: Timestamp) -> Timestamp {
        Timestamp(calendar.startOfDay(for: instant.date))
    }

    /// The first instant of the local day before the one holding `instant`.
    public func previousStart(before instant: Timestamp) -> Timestamp {
        start(of: start(of: instant).subtracting(TimeSpan(milliseconds: 1)))
    }

    /// The first instant of the local day `count` calendar days after (or, negative, before) the one holding `instant`; where
    /// that date was skipped (Pacific/Apia's 2011-12-30), the first instant of the next date.
    public func start(_ count: Int, daysAfter instant: Timestamp) -> Timestamp {
        let first = start(of: instant)
        guard count != 0 else { return first }
        // The target date is counted on the calendar (the calendar's own day steps count a skipped date differently), and
        // found by its noon, far from the midnights clocks change at.
        let date = calendar.dateComponents([.year, .month, .day], from: first.date)
        let target = CivilDate(daysSinceEpoch: CivilDate(year: date.year!, month: date.month!, day: date.day!).daysSinceEpoch + count)
        guard let noon = calendar.date(from: DateComponents(year: target.year, month: target.month, day: target.day, hour: 12)) else {
            return (0..<abs(count)).reduce(first) { day, _ in count > 0 ? nextStart(afterDayStarting: day) : previousStart(before: day) }
        }
        return start(of: Timestamp(noon))
    }

    /// The starts of the local days from the one holding `from` through the first one after `through`, in order, so each
    /// instant in `[from, through]` lies between two consecutive entries.
    public func starts(from: Timestamp, through: Timestamp) -> [Timestamp] {
        var starts = [start(of: from)]
        while starts[starts.count - 1] <= through {
            starts.append(nextStart(afterDayStarting: starts[starts.count - 1]))
        }
        return starts
    }

    /// The starts of the local days `period` touches, in order (the first may be before `period.from`).
    public func starts(of period: Period) -> [Timestamp] {
        var starts: [Timestamp] = []
        var day = start(of: period.from)
        while day < period.to {
            starts.append(day)
            day = nextStart(afterDayStarting: day)
        }
        return starts
    }
}
