public import VitalsCore

/// A DORA software-delivery performance level (elite, high, medium, low) for one of the four keys, from the table of the
/// Accelerate State of DevOps Report 2021 (DORA, Google Cloud) that `docs/metrics.md` quotes.
///
/// The 2021 table leaves gaps between its bands (a lead time between one hour and one day is in none) and gives high, medium
/// and low one change-failure band (16–30 %). A value gets the best level whose band it reaches: each band is read up to its
/// slower (or worse) end, so a gap belongs to the better band, and a change failure rate of 16–30 % is `high`. One month is
/// 30 days and six months 183 days.
public struct DoraLevel: Sendable, Encodable, Hashable {
    public enum Level: String, Sendable, Encodable, Hashable, CaseIterable {
        case elite
        case high
        case medium
        case low
    }

    public let level: Level
    /// What the level was judged on, with the band it reached: `median 3.2 h ≤ 1 week`.
    public let basis: String

    static let hour = 3_600.0
    static let day = 86_400.0
    static let week = 7 * day
    static let month = 30 * day
    static let sixMonths = 183 * day

    /// Lead time for changes, judged on the median: elite under an hour, high up to a week, medium up to six months.
    static func leadTime(median: Double) -> Level {
        median < hour ? .elite : median <= week ? .high : median <= sixMonths ? .medium : .low
    }

    /// Time to restore service, judged on the median: elite under an hour, high under a day, medium up to a week.
    static func timeToRestore(median: Double) -> Level {
        median < hour ? .elite : median < day ? .high : median <= week ? .medium : .low
    }

    /// Change failure rate: elite up to 15 %, high (the band high, medium and low share) up to 30 %, low above.
    static func changeFailureRate(_ ratio: Double) -> Level {
        ratio <= 0.15 ? .elite : ratio <= 0.30 ? .high : .low
    }

    /// Deployment frequency from successful deployments per day: elite at least daily (on demand), high at least once a
    /// month, medium at least once in six months, low fewer.
    static func deploymentFrequency(perDay: Double) -> Level {
        perDay >= 1 ? .elite : perDay >= 1 / 30 ? .high : perDay >= 1 / 183 ? .medium : .low
    }

    /// The keys judged on a median, with each level's bound as the basis names it.
    static let medianKeys: [String: (level: @Sendable (Double) -> Level, bounds: [String])] = [
        "dora_lead_time_seconds": (leadTime(median:), ["< 1 h", "≤ 1 week", "≤ 6 months", "> 6 months"]),
        "dora_recovery_seconds": (timeToRestore(median:), ["< 1 h", "< 1 day", "≤ 1 week", "> 1 week"]),
    ]

    /// The level of a digest row of one of the four keys; nil for other metrics or without data.
    ///
    /// Deployment frequency is judged over `days` covered days of the trend period (at least 28), in which `deployments`
    /// succeeded; with none in fewer than 183 days the level cannot be told (medium needs one in six months).
    static func of(metric: String, value: Double?, distribution: Distribution?, deployments: (count: Double, days: Int)?) -> DoraLevel? {
        switch metric {
        case "dora_lead_time_seconds", "dora_recovery_seconds":
            guard let median = distribution?.median, let judge = medianKeys[metric] else { return nil }
            let level = judge.level(median)
            return DoraLevel(level: level, basis: "median \(NumberText.value(median, unit: .seconds)) " + bound(level, judge.bounds))
        case "dora_change_failure_ratio":
            guard let value else { return nil }
            let level = changeFailureRate(value)
            return DoraLevel(level: level, basis: "\(NumberText.value(value, unit: .ratio)) " + bound(level, ["≤ 15%", "≤ 30%", "", "> 30%"]))
        case "dora_deployments":
            guard let deployments, deployments.days > 0, deployments.count > 0 || deployments.days >= 183 else { return nil }
            let perDay = deployments.count / Double(deployments.days)
            let level = deploymentFrequency(perDay: perDay)
            let rate = "\(NumberText.value(deployments.count, unit: .count)) in \(deployments.days) days"
            return DoraLevel(level: level, basis: "\(rate) " + bound(level, ["≥ 1 a day", "≥ 1 a month", "≥ 1 in 6 months", "< 1 in 6 months"]))
        default:
            return nil
        }
    }

    private static func bound(_ level: Level, _ bounds: [String]) -> String {
        bounds[Level.allCases.firstIndex(of: level)!]
    }
}
