import Foundation
public import VitalsCore

/// A recurring time when alerts are muted, as Alertmanager's time intervals: on some weekdays, at some times of day,
/// in a time zone. Evaluated on the local wall clock, so it follows daylight-saving changes.
///
/// A time range whose end is not after its start crosses midnight and belongs to the day it starts on:
/// `weekdays: [friday]` with `22:00`–`06:00` mutes from Friday 22:00 to Saturday 06:00.
public struct MuteWindow: Sendable, Equatable, Codable {
    public var name: String
    /// The days it applies to; empty means every day.
    public var weekdays: [WeekdayRange]
    /// The times of day it applies to; empty means the whole day.
    public var times: [TimeOfDayRange]
    /// The IANA time zone the weekdays and times are read in (`location:`).
    public var location: String
    /// The alerts it mutes; empty means all.
    public var matchers: [SilenceMatcher]

    public init(
        name: String, weekdays: [WeekdayRange] = [], times: [TimeOfDayRange] = [], location: String = "UTC", matchers: [SilenceMatcher] = []
    ) throws(MuteWindowError) {
        guard TimeZone(ianaName: location) != nil else {
            throw MuteWindowError(text: location, reason: "unknown time zone; use an IANA name such as Europe/Berlin or UTC")
        }
        self.name = name
        self.weekdays = weekdays
        self.times = times
        self.location = location
        self.matchers = matchers
    }

    /// Whether `instant` falls in the window.
    public func contains(_ instant: Timestamp) -> Bool {
        let calendar = Calendar.gregorian(in: TimeZone(identifier: location) ?? .gmt)
        let components = calendar.dateComponents([.weekday, .hour, .minute], from: instant.date)
        let today = Weekday(calendarWeekday: components.weekday!)
        let minute = components.hour! * 60 + components.minute!
        func onDay(_ day: Weekday) -> Bool { weekdays.isEmpty || weekdays.contains { $0.contains(day) } }
        guard !times.isEmpty else { return onDay(today) }
        return times.contains { range in
            if range.startMinute < range.endMinute { return onDay(today) && range.startMinute <= minute && minute < range.endMinute }
            return (onDay(today) && minute >= range.startMinute) || (onDay(today.previous) && minute < range.endMinute)
        }
    }

    /// Whether it mutes an alert with `labels` at `instant`.
    public func mutes(_ labels: Labels, at instant: Timestamp) -> Bool {
        matchers.allSatisfy { $0.matches(labels) } && contains(instant)
    }
}

/// A day of the week, named as in Alertmanager's time intervals.
public enum Weekday: String, Sendable, Codable, CaseIterable {
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday

    /// From `Calendar`'s weekday number, 1 = Sunday.
    init(calendarWeekday: Int) {
        self = Weekday.allCases[(calendarWeekday - 1) % 7]
    }

    var index: Int { Weekday.allCases.firstIndex(of: self)! }

    var previous: Weekday { Weekday.allCases[(index + 6) % 7] }
}

/// `monday:friday` or a single day `saturday`; `friday:monday` wraps over the weekend.
public struct WeekdayRange: Sendable, Equatable, Codable {
    public let first: Weekday
    public let last: Weekday

    public init(first: Weekday, last: Weekday) {
        self.first = first
        self.last = last
    }

    public init(parsing text: String) throws(MuteWindowError) {
        let names = text.lowercased().split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var days: [Weekday] = []
        for name in names {
            guard let day = Weekday(rawValue: name) else {
                let allowed = Weekday.allCases.map(\.rawValue).joined(separator: ", ")
                throw MuteWindowError(text: text, reason: "'\(name)' is not a weekday; use \(allowed), or a range such as monday:friday")
            }
            days.append(day)
        }
        guard days.count <= 2 else { throw MuteWindowError(text: text, reason: "a range has two days, as in monday:friday") }
        self.init(first: days[0], last: days[days.count - 1])
    }

    func contains(_ day: Weekday) -> Bool {
        first.index <= last.index ? (first.index...last.index).contains(day.index) : day.index >= first.index || day.index <= last.index
    }
}

/// `{start_time: "22:00", end_time: "06:00"}`: from the start (inclusive) to the end (exclusive), in minutes of the local day.
public struct TimeOfDayRange: Sendable, Equatable, Codable {
    public let startMinute: Int
    public let endMinute: Int

    /// Parses `HH:MM` times; the end may be `24:00`. An end not after the start crosses midnight.
    public init(start: String, end: String) throws(MuteWindowError) {
        startMinute = try TimeOfDayRange.minutes(start, allowingMidnightEnd: false)
        endMinute = try TimeOfDayRange.minutes(end, allowingMidnightEnd: true)
    }

    private static func minutes(_ text: String, allowingMidnightEnd: Bool) throws(MuteWindowError) -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<60).contains(minute),
            (0..<24).contains(hour) || (allowingMidnightEnd && hour == 24 && minute == 0)
        else { throw MuteWindowError(text: text, reason: "expected a time of day HH:MM between 00:00 and 24:00") }
        return hour * 60 + minute
    }
}

/// A mute window that cannot be used: the text and what to write instead.
public struct MuteWindowError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "invalid mute window '\(text)': \(reason)" }
}
