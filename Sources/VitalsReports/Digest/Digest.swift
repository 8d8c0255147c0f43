public import VitalsCore

/// A named report (`vitals report NAME`): the rows of its definition's sections, graded against thresholds, with the health
/// score, "what to look at", the alerts of the period and how much of the period the store covers.
///
/// Its JSON form (``DigestJSONRenderer``, `schema_version` 3) is the contract `docs/report.schema.json` describes.
public struct Digest: Sendable, Encodable {
    public static let currentSchemaVersion = 3

    public var schemaVersion = Digest.currentSchemaVersion
    public let name: String
    public let title: String
    public let generatedAt: Timestamp
    public let timeZone: String
    public let period: Period
    /// `previous_period` or `same_period_last_week`.
    public let comparison: String
    public let comparisonPeriod: Period
    /// The mean of the sections' scores (0–100); nil when no section has one.
    @Nullable public var score: Int?
    /// Rows with thresholds but no data in the period, left out of the score (their names as rows show them).
    public let unscored: [String]
    public let sections: [DigestSection]
    public let lookAt: [LookAtItem]
    /// Nil when the definition has no alerts section.
    @Nullable public var alerts: DigestAlerts?
    /// Messages the outbox dead-lettered since the previous report, whatever the definition's sections.
    public let delivery: DigestDelivery
    public let sources: [SourceReport]
    public let channels: [String]
    /// What rows' `trend` covers: the period, or the 28 days ending with it when the period is shorter.
    public let trendPeriod: Period
    /// `day`, or `week` when the trend period is longer than 31 days: what one value of a row's `trend` covers.
    public let trendBucket: String
    /// Days per trend value: 1, or whole weeks (7 up to 210 days, 14 up to 420, …) so a trend has about 30 values at most.
    public let trendBucketDays: Int
}

/// One section of a digest: its rows and their score.
public struct DigestSection: Sendable, Encodable {
    public let title: String
    public let family: MetricFamily
    /// The mean of the scored rows' scores, rounded; nil when no row is scored.
    @Nullable public var score: Int?
    public let rows: [DigestRow]
    /// Rows (or metrics without any series) that have thresholds but no data, so the score leaves them out.
    public let unscored: [String]
    public let sourcesWithoutData: [String]
}

/// One metric of one repository (and coverage file): the total, its label breakdown, grade and history coverage.
public struct DigestRow: Sendable, Encodable {
    public let metric: String
    public let title: String
    /// The row's name as renderers show it: the title, with the labels that tell rows apart.
    public let name: String
    /// The labels the row's series share (the breakdown labels, such as `kind`, left out).
    public let labels: Labels
    public let unit: MetricUnit
    public let kind: ReportRow.Kind
    @Nullable public var value: Double?
    @Nullable public var previous: Double?
    @Nullable public var change: Double?
    @Nullable public var changeRatio: Double?
    /// The raw counts behind a ratio (`covered/valid` lines, `success/judged` runs, checks that passed/checks), where the
    /// store has them.
    @Nullable public var counts: RawCounts?
    /// For a distribution (one sample per pull request, change, run): the period's count, median and 90th percentile;
    /// `value` is the median.
    @Nullable public var distribution: Distribution?
    @Nullable public var previousDistribution: Distribution?
    /// What one occurrence of a distribution is, and several (`PR`, `PRs`).
    @Nullable public var item: String?
    @Nullable public var items: String?
    /// For the four DORA keys: the level the value reaches in the 2021 State of DevOps table (docs/metrics.md).
    @Nullable public var dora: DoraLevel?
    /// The series the value adds up, per label value, largest first (`TODO 23 · XXX 2`).
    public let breakdown: [BreakdownEntry]
    /// One value per ``Digest/trendBucket`` of ``Digest/trendPeriod``, nil where there is no sample.
    public let trend: [Double?]
    public let sparkline: String
    @Nullable public var threshold: MetricThreshold?
    @Nullable public var grade: MetricThreshold.Grade?
    /// 0–100 from the threshold (see docs/reports.md); nil without threshold or data.
    @Nullable public var score: Double?
    public let status: RowStatus
    @Nullable public var statusDetail: String?
    public let history: HistoryCoverage
    @Nullable public var lastSampleAt: Timestamp?
    /// For commits: the day of the newest commit, in or before the period.
    @Nullable public var lastEventAt: Timestamp?
    @Nullable public var source: String?
}

/// A ratio's numerator and denominator, in the period and the comparison period.
public struct RawCounts: Sendable, Codable, Hashable {
    public let numerator: Double
    public let denominator: Double
    @Nullable public var previousNumerator: Double?
    @Nullable public var previousDenominator: Double?

    public init(numerator: Double, denominator: Double, previousNumerator: Double?, previousDenominator: Double?) {
        self.numerator = numerator
        self.denominator = denominator
        self.previousNumerator = previousNumerator
        self.previousDenominator = previousDenominator
    }

    // Snake case here too: the unnamed report's encoder does not convert keys.
    enum CodingKeys: String, CodingKey {
        case numerator
        case denominator
        case previousNumerator = "previous_numerator"
        case previousDenominator = "previous_denominator"
    }
}

/// One series of a row's breakdown.
public struct BreakdownEntry: Sendable, Encodable, Hashable {
    public let label: String
    public let value: String
    @Nullable public var now: Double?
    @Nullable public var previous: Double?
    /// For a ratio counted from runs (CI success per workflow): the counts behind `now` and `previous`.
    @Nullable public var counts: RawCounts? = nil
}

/// How much of the period the store's data covers: from the first sample on (or all of it when a sample precedes it).
public struct HistoryCoverage: Sendable, Codable, Hashable {
    /// The start of the first local day with a sample, or the period's start when the series has an earlier sample.
    @Nullable public var from: Timestamp?
    public let daysCovered: Int
    public let daysInPeriod: Int
    public var complete: Bool { daysCovered == daysInPeriod }

    public init(from: Timestamp?, daysCovered: Int, daysInPeriod: Int) {
        self.from = from
        self.daysCovered = daysCovered
        self.daysInPeriod = daysInPeriod
    }

    // Snake case here too: the unnamed report's encoder does not convert keys.
    enum CodingKeys: String, CodingKey {
        case from
        case daysCovered = "days_covered"
        case daysInPeriod = "days_in_period"
        case complete
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _from = try container.decode(Nullable<Timestamp>.self, forKey: .from)
        daysCovered = try container.decode(Int.self, forKey: .daysCovered)
        daysInPeriod = try container.decode(Int.self, forKey: .daysInPeriod)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(_from, forKey: .from)
        try container.encode(daysCovered, forKey: .daysCovered)
        try container.encode(daysInPeriod, forKey: .daysInPeriod)
        try container.encode(complete, forKey: .complete)
    }
}

/// A row that pulled the score down, with a recommendation drawn from its data (docs/reports.md lists the table).
public struct LookAtItem: Sendable, Encodable {
    public let metric: String
    public let name: String
    /// `look_at/METRIC{labels}`: the same row in every report, whatever its name shows; improvement tasks are keyed by it.
    public let fingerprint: String
    @Nullable public var value: Double?
    public let valueText: String
    public let threshold: MetricThreshold
    public let thresholdText: String
    public let grade: MetricThreshold.Grade
    public let score: Double
    public let trendText: String
    public let recommendation: String
}

extension LookAtItem {
    /// `**Line coverage** 60.0% — bad (good 80%, warn 70%, bad 50%); down 5 points since …`: the item's line in Markdown.
    public var summary: String { "**\(name)** \(valueText) — \(grade.rawValue) (\(thresholdText)); \(trendText)." }
}

/// Alerts firing at the report's `now`, and those that fired and resolved in the period.
public struct DigestAlerts: Sendable, Encodable {
    public let firing: [DigestAlert]
    public let resolved: [DigestAlert]
}

/// What the outbox could not deliver since the previous report.
public struct DigestDelivery: Sendable, Encodable {
    /// The previous report's queue time (or the report's `now` less its period's length when the outbox holds none); nil
    /// when no outbox was read.
    @Nullable public var since: Timestamp?
    /// Oldest first.
    public let deadLetters: [ReportDeadLetter]
}

/// One alert instance's firing span.
public struct DigestAlert: Sendable, Encodable, Hashable {
    public let rule: String
    public let labels: Labels
    @Nullable public var severity: String?
    public let firedAt: Timestamp
    @Nullable public var resolvedAt: Timestamp?
    /// Seconds from `fired_at` to `resolved_at`, or to the report's `now` while firing.
    public let durationSeconds: Int64
}

/// Writes `null` for a nil value instead of leaving the key out: the schema requires every key.
@propertyWrapper
public struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension Nullable: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension Nullable: Equatable where Value: Equatable {}
extension Nullable: Hashable where Value: Hashable {}
