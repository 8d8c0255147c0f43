import Testing
import VitalsCore
import VitalsReports

@Suite struct RowValuesTests {
    /// A summary of samples taken in order, as the store would return it for one bucket.
    static func summary(_ points: [(Int64, Double)]) -> SampleSummary {
        let samples = points.map { SamplePoint(Timestamp(milliseconds: $0.0), $0.1) }
        let first = SampleSummary(
            count: 1, sum: samples[0].value, min: samples[0].value, max: samples[0].value, first: samples[0], last: samples[0], increase: 0)
        return samples.dropFirst().reduce(first) { total, sample in
            total.merging(SampleSummary(count: 1, sum: sample.value, min: sample.value, max: sample.value, first: sample, last: sample, increase: 0))
        }
    }

    static let days: [SampleSummary?] = [summary([(1, 3), (2, 5)]), nil, summary([(10, 2), (11, 4)])]

    @Test(arguments: [
        (MetricKind.gauge, 4.0, [5.0, nil, 4.0]),
        (.event, 14.0, [8.0, nil, 6.0]),
        // Within day one +2, the drop 5 → 2 counts as a reset (+2), then +2 on day three.
        (.counter, 6.0, [2.0, nil, 2.0]),
    ])
    func valueAndDailyFollowTheKind(kind: MetricKind, value: Double, daily: [Double?]) {
        let values = RowValues(kind: kind, current: Self.days, previous: [nil])
        #expect(values.value == value)
        #expect(values.daily == daily)
        #expect(values.previous == nil)
        #expect(values.change == nil)
        #expect(values.changeRatio == nil)
    }

    @Test func changeIsRelativeToThePreviousMagnitude() {
        let values = RowValues(kind: .event, current: Self.days, previous: [Self.summary([(0, -4)]), nil])
        #expect(values.previous == -4)
        #expect(values.change == 18)
        #expect(values.changeRatio == 4.5)
    }

    @Test func noRatioAgainstZero() {
        let values = RowValues(value: 3, previous: 0, daily: [])
        #expect(values.change == 3)
        #expect(values.changeRatio == nil)
    }

    @Test func newestSampleIsTheLatestLastPoint() {
        #expect(RowValues.newestSample(in: Self.days) == Timestamp(milliseconds: 11))
        #expect(RowValues.newestSample(in: [nil, nil]) == nil)
    }
}
