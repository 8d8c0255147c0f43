/// One entry of `mute_windows:`: a recurring time when alert notifications are held, checked when the file is loaded.
///
/// The values are kept as written (`monday:friday`, `22:00`); the alerting module turns them into its `MuteWindow`.
public struct MuteWindowConfig: Sendable, Equatable {
    public var name: String
    /// Days or day ranges such as `monday:friday`; empty means every day.
    public var weekdays: [String]
    /// `HH:MM` start and end times; an end not after the start crosses midnight. Empty means the whole day.
    public var times: [TimeRange]
    /// The IANA time zone the days and times are read in.
    public var location: String
    /// Alertmanager-style matchers (`service=api`) limiting the window to some alerts; empty means all.
    public var matchers: [String]

    public init(name: String, weekdays: [String] = [], times: [TimeRange] = [], location: String = "UTC", matchers: [String] = []) {
        self.name = name
        self.weekdays = weekdays
        self.times = times
        self.location = location
        self.matchers = matchers
    }

    public struct TimeRange: Sendable, Equatable {
        public var start: String
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    /// The weekday names, Sunday first, as `weekdays:` accepts them.
    public static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
}
