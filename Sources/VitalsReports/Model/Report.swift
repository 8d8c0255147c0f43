public import VitalsCore

/// A project-health report: per metric series, the period's value against the previous period's, with trend and freshness.
///
/// Its JSON form (``JSONRenderer``) is the contract `docs/report.schema.json` describes; keys are snake_case.
public struct Report: Sendable, Hashable, Codable {
    /// The version of the JSON layout; raised when a key changes meaning or goes away.
    public static let currentSchemaVersion = 4

    public let schemaVersion: Int
    public let generatedAt: Timestamp
    /// The IANA identifier of the zone whose days the report counts in.
    public let timeZone: String
    public let period: Period
    /// The period of equal length just before ``period`` that changes are measured against.
    public let previousPeriod: Period
    /// One per ``MetricFamily``, in the order of `MetricFamily.allCases`.
    public let sections: [ReportSection]
    /// The configured sources and their latest runs.
    public let sources: [SourceReport]
    /// Days per value of a row's `trend`: 1, or whole weeks beyond 31 days (as a digest's trend).
    public let trendBucketDays: Int

    public init(
        generatedAt: Timestamp, timeZone: String, period: Period, previousPeriod: Period, sections: [ReportSection], sources: [SourceReport],
        trendBucketDays: Int
    ) {
        self.schemaVersion = Report.currentSchemaVersion
        self.generatedAt = generatedAt
        self.timeZone = timeZone
        self.period = period
        self.previousPeriod = previousPeriod
        self.sections = sections
        self.sources = sources
        self.trendBucketDays = trendBucketDays
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case generatedAt = "generated_at"
        case timeZone = "time_zone"
        case period
        case previousPeriod = "previous_period"
        case sections
        case sources
        case trendBucketDays = "trend_bucket_days"
    }
}

/// The rows of one family, and the sources of that family that gave no data in the period.
public struct ReportSection: Sendable, Hashable, Codable {
    public let family: MetricFamily
    public let title: String
    public let rows: [ReportRow]
    /// Names of the family's configured sources with no sample in the period, so missing data is never read as zero.
    public let sourcesWithoutData: [String]

    public init(family: MetricFamily, rows: [ReportRow], sourcesWithoutData: [String]) {
        self.family = family
        self.title = family.title
        self.rows = rows
        self.sourcesWithoutData = sourcesWithoutData
    }

    enum CodingKeys: String, CodingKey {
        case family
        case title
        case rows
        case sourcesWithoutData = "sources_without_data"
    }
}
