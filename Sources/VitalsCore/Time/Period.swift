public import Foundation

/// A half-open time range `[from, to)`.
public struct Period: Hashable, Sendable, Codable, CustomStringConvertible {
    public let from: Timestamp
    public let to: Timestamp

    public init(from: Timestamp, to: Timestamp) {
        precondition(from <= to, "a period cannot end before it starts")
        self.from = from
        self.to = to
    }

    public var length: TimeSpan { TimeSpan(milliseconds: to.milliseconds - from.milliseconds) }

    public func contains(_ timestamp: Timestamp) -> Bool { from <= timestamp && timestamp < to }

    public var description: String { "[\(from), \(to))" }

    /// The period a `--since SPAN` option means at `now`.
    ///
    /// A span in whole days or weeks (`7d`, `2w`) is aligned to the time zone's midnights and includes today:
    /// it ends at the start of tomorrow and starts that many calendar days earlier (so a DST change makes
    /// one of the days 23 or 25 hours long). Any other span ends at `now` exactly.
    public static func since(_ span: TimeSpan, now: Timestamp, timeZone: TimeZone) -> Period {
        guard span.isCalendarDays, span.days > 0 else {
            return Period(from: now.subtracting(span), to: now)
        }
        let days = LocalDays(timeZone)
        let end = days.nextStart(after: now)
        return Period(from: days.start(-span.days, daysAfter: end), to: end)
    }

    /// The period of equal length that ends where this one starts; day-aligned periods step back whole calendar days.
    public func previous(timeZone: TimeZone) -> Period {
        let localDays = LocalDays(timeZone)
        let days = localDays.starts(of: self)
        if let first = days.first, first == from, localDays.isStart(to) {
            return Period(from: localDays.start(-days.count, daysAfter: from), to: from)
        }
        return Period(from: Timestamp(milliseconds: 2 * from.milliseconds - to.milliseconds), to: from)
    }

    /// The first instants of the local days this period touches (see ``LocalDays``), in order (the first may be before `from`).
    public func dayStarts(in timeZone: TimeZone) -> [Timestamp] {
        LocalDays(timeZone).starts(of: self)
    }
}

extension Calendar {
    /// A Gregorian calendar in `timeZone`, the calendar every day boundary in vitals is computed with.
    public static func gregorian(in timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}
