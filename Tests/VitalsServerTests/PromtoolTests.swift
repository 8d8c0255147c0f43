import CoreMetrics
import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsServer

/// Prometheus' own client against the running server: `promtool query instant|range` read vitals' store through the API and
/// get what the evaluator says; `promtool check metrics` finds nothing wrong with `/metrics`.
@Suite(.enabled(if: promtoolAvailable, "promtool is installed by scripts/setup --test")) struct PromtoolTests {
    let fixture: ServerFixture

    init() async throws {
        fixture = try await ServerFixture()
    }

    struct Point: Equatable, CustomStringConvertible {
        let labels: [String: String]
        let time: Double
        let value: String
        var description: String { "\(Labels(labels)) @\(time) \(value)" }
        var order: (String, Double) { (Labels(labels).canonical, time) }
    }

    @Test(arguments: [
        "build_duration_seconds", "avg(build_duration_seconds) by (branch)", "increase(http_requests_total[10m])",
        "build_duration_seconds{repo=~\"a.*\"} > 30", "sum_over_time(git_commits[1h])", "time()",
    ])
    func instantQueryMatchesTheEvaluator(_ expression: String) async throws {
        let time = ServerFixture.now.subtracting(.seconds(45))
        let expected = try await Self.points(fixture.evaluate(expression, at: time), at: time)
        try await fixture.withServer { (client: TestClient) async throws in
            let run = try await runProgram(["promtool", "query", "instant", "-o", "json", "--time=\(RFC3339.format(time))", client.base, expression])
            #expect(run.status == 0, "\(run.error)")
            #expect(try Self.points(json: run.output) == expected)
        }
    }

    @Test(arguments: ["build_duration_seconds", "rate(http_requests_total[1m])", "max by (repo) (build_duration_seconds) - 20"])
    func rangeQueryMatchesTheEvaluator(_ expression: String) async throws {
        let start = ServerFixture.start.adding(.minutes(3))
        let end = ServerFixture.now
        var expected: [Point] = []
        var time = start
        while time <= end {
            expected += try await Self.points(fixture.evaluate(expression, at: time), at: time)
            time = time.adding(.seconds(45))
        }
        expected.sort { $0.order < $1.order }
        try await fixture.withServer { (client: TestClient) async throws in
            let run = try await runProgram([
                "promtool", "query", "range", "-o", "json", "--start=\(start.secondsSinceEpoch)", "--end=\(RFC3339.format(end))", "--step=45s",
                client.base, expression,
            ])
            #expect(run.status == 0, "\(run.error)")
            let got = try Self.points(json: run.output).sorted { $0.order < $1.order }
            #expect(got == expected)
            #expect(got.count > 30)
        }
    }

    /// Every family vitals records, with a sample each (label values that need escaping included), passes promtool's lint.
    @Test func metricsPassPromtoolCheck() async throws {
        for family in VitalsMetrics.families {
            let dimensions = family.labels.map { ($0, "report \"daily\" --send") }
            switch family.kind {
            case .counter: Counter(label: family.name, dimensions: dimensions, factory: fixture.metrics).increment(by: 2)
            case .gauge: Recorder(label: family.name, dimensions: dimensions, aggregate: false, factory: fixture.metrics).record(3)
            case .durationHistogram: CoreMetrics.Timer(label: family.name, dimensions: dimensions, factory: fixture.metrics).recordMilliseconds(1200)
            }
        }
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/metrics")
            #expect(response.status == 200)
            let run = try await runProgram(["promtool", "check", "metrics"], input: Data(response.body.utf8))
            #expect(run.status == 0, "\(run.output)\(run.error)\n\(response.body)")
            #expect(run.output.isEmpty && run.error.isEmpty, "\(run.output)\(run.error)")
        }
    }

    /// The points of an evaluation, each vector sample at `time`.
    static func points(_ result: EvaluationResult, at time: Timestamp) -> [Point] {
        switch result {
        case .scalar(let value): [Point(labels: [:], time: time.secondsSinceEpoch, value: GoNumberFormat.shortestFixed(value))]
        case .vector(let samples):
            samples.map { Point(labels: $0.labels.dictionary, time: time.secondsSinceEpoch, value: GoNumberFormat.shortestFixed($0.value)) }
        case .matrix(let series):
            series.flatMap { series in
                series.points.map {
                    Point(labels: series.labels.dictionary, time: $0.timestamp.secondsSinceEpoch, value: GoNumberFormat.shortestFixed($0.value))
                }
            }
        }
    }

    /// promtool's `-o json`: a vector, a matrix or a scalar in the API's shapes.
    static func points(json text: String) throws -> [Point] {
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8))
        func point(_ labels: [String: String], _ pair: Any) -> Point {
            let pair = pair as? [Any] ?? []
            return Point(labels: labels, time: pair.first as? Double ?? .nan, value: pair.last as? String ?? "")
        }
        if let pair = json as? [Any], pair.count == 2, pair.first is Double { return [point([:], pair)] }
        if let scalar = json as? [String: Any], scalar["value"] != nil { return [point([:], scalar["value"]!)] }
        return (json as? [[String: Any]] ?? []).flatMap { element -> [Point] in
            let labels = element["metric"] as? [String: String] ?? [:]
            if let value = element["value"] { return [point(labels, value)] }
            return (element["values"] as? [Any] ?? []).map { point(labels, $0) }
        }
    }
}
