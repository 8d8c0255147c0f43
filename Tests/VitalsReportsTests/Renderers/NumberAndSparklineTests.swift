import Testing
import VitalsCore

@testable import VitalsReports

@Suite struct NumberTextTests {
    @Test(arguments: [
        (0.8123, MetricUnit.ratio, "81.2%"),
        (1.0, .ratio, "100.0%"),
        (1_234_567, .count, "1,234,567"),
        (999, .lines, "999"),
        (-12_345, .count, "-12,345"),
        (2.5, .count, "2.50"),
        (1.25, .seconds, "1.2 s"),
        (45, .seconds, "45 s"),
        (90, .seconds, "1.5 min"),
        (3_600, .seconds, "1 h"),
        (5_400, .seconds, "1.5 h"),
        (129_600, .seconds, "1.5 d"),
        (345_600, .seconds, "4 d"),
        (-7_200, .seconds, "-2 h"),
        (2048, .bytes, "2,048 B"),
        (.infinity, .ratio, "+Inf"),
        (-.infinity, .seconds, "-Inf"),
        (.nan, .count, "NaN"),
    ])
    func values(value: Double, unit: MetricUnit, text: String) {
        #expect(NumberText.value(value, unit: unit) == text)
    }

    @Test(
        arguments: [
            (0.021, nil, MetricUnit.ratio, "+2.1 pp"),
            (-0.0004, nil, .ratio, "0.0 pp"),
            (-0.05, 0.3, .ratio, "-5.0 pp"),
            (1200, 0.5, .count, "+1,200 (+50.0%)"),
            (-3, -0.25, .lines, "-3 (-25.0%)"),
            (0, 0, .count, "0 (0.0%)"),
            (4, nil, .count, "+4"),
            (.infinity, nil, .ratio, "+Inf"),
            (-.infinity, 0.5, .count, "-Inf"),
            (4, .infinity, .count, "+4 (+Inf%)"),
        ] as [(Double, Double?, MetricUnit, String)])
    func changes(change: Double, ratio: Double?, unit: MetricUnit, text: String) {
        #expect(NumberText.change(change, ratio: ratio, unit: unit) == text)
    }
}

@Suite struct SparklineTests {
    @Test(
        arguments: [
            ([0, 1, 2, 3, 4, 5, 6, 7], "▁▂▃▄▅▆▇█"),
            ([5, nil, 5], "▄·▄"),
            ([0, 0], "▁▁"),
            ([nil, nil, nil], "···"),
            ([-1, 1, 0], "▁█▅"),
            ([], ""),
            // Values that are not finite neither stretch the scale nor stop the report (converting them to an index trapped).
            ([0, .infinity, 7, -.infinity, .nan], "▁██▁·"),
            ([.infinity, 3, 3], "█▄▄"),
            ([.infinity, -.infinity], "█▁"),
        ] as [([Double?], String)])
    func scalesBetweenTheLowestAndHighestValue(values: [Double?], line: String) {
        #expect(Sparkline.render(values) == line)
    }
}
