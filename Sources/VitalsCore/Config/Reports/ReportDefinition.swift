public import Foundation

/// A named report (`reports/NAME.yml`): its title, period, comparison, sections of metrics with thresholds, and channels.
public struct ReportDefinition: Sendable, Equatable {
    /// The name `vitals report NAME` takes: the file's name without `.yml`.
    public var name: String
    public var title: String
    public var period: ReportPeriodSpec
    public var comparison: ReportComparison
    public var sections: [ReportSectionDefinition]
    /// Whether the report has an Alerts section (firing now, fired and resolved in the period).
    public var showsAlerts: Bool
    /// Names of channels in `vitals.yml`'s `channels:` the report is meant for; delivery reads them.
    public var channels: [String]

    public init(
        name: String, title: String, period: ReportPeriodSpec, comparison: ReportComparison, sections: [ReportSectionDefinition],
        showsAlerts: Bool, channels: [String]
    ) {
        self.name = name
        self.title = title
        self.period = period
        self.comparison = comparison
        self.sections = sections
        self.showsAlerts = showsAlerts
        self.channels = channels
    }
}

/// Which span a report covers.
public enum ReportPeriodSpec: Sendable, Equatable, CustomStringConvertible {
    /// The last whole local days (`1d`, `7d`) including today, or a span ending now, as `--since` takes it.
    case span(TimeSpan)
    /// Yesterday, midnight to midnight in the configured zone.
    case previousDay
    /// The last whole calendar week (Monday to Sunday) before the current one.
    case previousWeek

    /// The period this names at `now`; calendar periods are whole local days (see ``LocalDays``).
    public func period(now: Timestamp, timeZone: TimeZone) -> Period {
        let days = LocalDays(timeZone)
        let today = days.start(of: now)
        switch self {
        case .span(let span):
            return Period.since(span, now: now, timeZone: timeZone)
        case .previousDay:
            // The local day before today that existed (Pacific/Kwajalein skipped 1993-08-21).
            return Period(from: days.previousStart(before: today), to: today)
        case .previousWeek:
            // Weekdays count from Sunday (1); weeks start on Monday.
            let weekday = Calendar.gregorian(in: timeZone).component(.weekday, from: today.date)
            let monday = days.start(-((weekday + 5) % 7), daysAfter: today)
            return Period(from: days.start(-7, daysAfter: monday), to: monday)
        }
    }

    public var description: String {
        switch self {
        case .span(let span): span.description
        case .previousDay: "previous_day"
        case .previousWeek: "previous_week"
        }
    }
}

/// What a report's values are compared with.
public enum ReportComparison: String, Sendable, Equatable, CaseIterable {
    /// The period of equal length just before.
    case previousPeriod = "previous_period"
    /// The same local days one week earlier.
    case samePeriodLastWeek = "same_period_last_week"

    /// The comparison period of `period`.
    public func period(of period: Period, timeZone: TimeZone) -> Period {
        switch self {
        case .previousPeriod:
            return period.previous(timeZone: timeZone)
        case .samePeriodLastWeek:
            // Local midnights step back seven calendar days; other instants seven times 24 hours.
            let days = LocalDays(timeZone)
            let back = { (instant: Timestamp) in
                days.isStart(instant) ? days.start(-7, daysAfter: instant) : instant.subtracting(.days(7))
            }
            return Period(from: back(period.from), to: back(period.to))
        }
    }
}

/// One section of a report: a family's metrics, each with its optional thresholds.
public struct ReportSectionDefinition: Sendable, Equatable {
    public var title: String
    public var family: MetricFamily
    public var metrics: [ReportMetricDefinition]

    public init(title: String, family: MetricFamily, metrics: [ReportMetricDefinition]) {
        self.title = title
        self.family = family
        self.metrics = metrics
    }
}

/// A metric a section shows, with the thresholds that grade and score it (none: shown, not scored).
public struct ReportMetricDefinition: Sendable, Equatable {
    public var metric: String
    public var threshold: MetricThreshold?

    public init(metric: String, threshold: MetricThreshold? = nil) {
        self.metric = metric
        self.threshold = threshold
    }
}

/// The values at which a metric is good, worth a warning, and bad, and which direction is better.
///
/// Ordered strictly in the better direction: `good > warn > bad` when higher is better, `good < warn < bad` when lower is.
public struct MetricThreshold: Sendable, Equatable, Codable, Hashable {
    public enum Direction: String, Sendable, Equatable, Codable, Hashable, CaseIterable {
        case higher
        case lower
    }

    public enum Grade: String, Sendable, Equatable, Codable, Hashable, CaseIterable {
        case good
        case warn
        case bad
    }

    public var better: Direction
    public var good: Double
    public var warn: Double
    public var bad: Double

    public init(better: Direction, good: Double, warn: Double, bad: Double) {
        self.better = better
        self.good = good
        self.warn = warn
        self.bad = bad
    }

    /// `good` at or beyond `good`, `warn` at or beyond `warn`, else `bad`.
    public func grade(_ value: Double) -> Grade {
        if reaches(value, good) { return .good }
        return reaches(value, warn) ? .warn : .bad
    }

    /// 100 at or beyond `good`, 0 at or beyond `bad`, linear from 0 at `bad` to 50 at `warn` and from 50 to 100 at `good`.
    public func score(_ value: Double) -> Double {
        if reaches(value, good) { return 100 }
        // `bad` reaching `value` means the value is at `bad` or worse.
        if reaches(bad, value) { return 0 }
        if reaches(value, warn) { return 50 + 50 * (value - warn) / (good - warn) }
        return 50 * (value - bad) / (warn - bad)
    }

    private func reaches(_ value: Double, _ mark: Double) -> Bool {
        better == .higher ? value >= mark : value <= mark
    }
}
