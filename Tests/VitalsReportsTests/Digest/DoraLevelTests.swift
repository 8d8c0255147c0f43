import Testing

@testable import VitalsReports

/// The 2021 State of DevOps bands (docs/metrics.md), each boundary on both sides.
@Suite struct DoraLevelTests {
    static let hour: Double = 3_600
    static let day: Double = 86_400
    static let leadTimes: [(Double, DoraLevel.Level)] = [
        (hour - 1, .elite), (hour, .high), (day, .high), (7 * day, .high), (7 * day + 1, .medium), (183 * day, .medium), (183 * day + 1, .low),
    ]
    static let restoreTimes: [(Double, DoraLevel.Level)] = [
        (hour - 1, .elite), (hour, .high), (day - 1, .high), (day, .medium), (7 * day, .medium), (7 * day + 1, .low),
    ]
    static let frequencies: [(Double, DoraLevel.Level)] = [
        (3, .elite), (1, .elite), (0.99, .high), (1.0 / 30, .high), (0.999 / 30, .medium), (1.0 / 183, .medium), (0.999 / 183, .low), (0, .low),
    ]

    @Test(arguments: leadTimes)
    func leadTime(median: Double, level: DoraLevel.Level) {
        #expect(DoraLevel.leadTime(median: median) == level)
    }

    @Test(arguments: restoreTimes)
    func timeToRestore(median: Double, level: DoraLevel.Level) {
        #expect(DoraLevel.timeToRestore(median: median) == level)
    }

    @Test(arguments: [(0.0, DoraLevel.Level.elite), (0.15, .elite), (0.1501, .high), (0.30, .high), (0.3001, .low), (1.0, .low)])
    func changeFailureRate(ratio: Double, level: DoraLevel.Level) {
        #expect(DoraLevel.changeFailureRate(ratio) == level)
    }

    @Test(arguments: frequencies)
    func deploymentFrequency(perDay: Double, level: DoraLevel.Level) {
        #expect(DoraLevel.deploymentFrequency(perDay: perDay) == level)
    }

    /// No deployment in fewer than 183 days of data cannot tell medium from low; in 183 days it is low.
    @Test func noDeploymentNeedsSixMonthsOfDataForALevel() {
        #expect(DoraLevel.of(metric: "dora_deployments", value: 0, distribution: nil, deployments: (0, 28)) == nil)
        #expect(DoraLevel.of(metric: "dora_deployments", value: 0, distribution: nil, deployments: (0, 183))?.level == .low)
        #expect(
            DoraLevel.of(metric: "dora_deployments", value: 2, distribution: nil, deployments: (2, 28))
                == DoraLevel(level: .high, basis: "2 in 28 days ≥ 1 a month"))
    }
}
