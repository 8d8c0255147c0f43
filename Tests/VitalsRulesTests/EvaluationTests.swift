import Testing
import VitalsCore
import VitalsRules

/// Semantics promtool cannot check here: Prometheus 3's left-open windows, staleness markers, runtime errors, and
/// extrapolation details where Prometheus 2 and 3 differ.
@Suite struct EvaluationTests {
    private func series(_ name: String, _ labels: [String: String] = [:], _ points: [(seconds: Int64, value: Double)]) -> QueriedSeries {
        QueriedSeries(
            labels: Labels(labels.merging(["__name__": name]) { $1 }), points: points.map { SamplePoint(Timestamp(seconds: $0.seconds), $0.value) })
    }

    private func evaluate(_ text: String, at seconds: Int64, _ series: [QueriedSeries], lookback: TimeSpan = .minutes(5)) throws -> EvaluationResult {
        try Evaluator(querier: InMemorySeriesQuerier(series), lookback: lookback).instant(
            try ExpressionParser.parse(text), at: Timestamp(seconds: seconds))
    }

    private func values(_ text: String, at seconds: Int64, _ series: [QueriedSeries], lookback: TimeSpan = .minutes(5)) throws -> [String: Double] {
        guard case .vector(let samples) = try evaluate(text, at: seconds, series, lookback: lookback) else { return ["not a vector": .nan] }
        return Dictionary(uniqueKeysWithValues: samples.map { ($0.labels.description, $0.value) })
    }

    @Test func instantSelectorLooksBackOverAClosedWindow() throws {
        let data = [series("x", ["a": "1"], [(0, 1), (60, 2)])]
        #expect(try values("x", at: 60, data) == [#"{__name__="x",a="1"}"#: 2])
        #expect(try values("x", at: 360, data) == [#"{__name__="x",a="1"}"#: 2])
        #expect(try values("x", at: 361, data) == [:])
        #expect(try values("x", at: 90, data, lookback: .seconds(30)) == [#"{__name__="x",a="1"}"#: 2])
        #expect(try values("x", at: 91, data, lookback: .seconds(30)) == [:])
        #expect(try values("x offset 1m", at: 60, data) == [#"{__name__="x",a="1"}"#: 1])
    }

    @Test func rangeWindowIncludesItsStart() throws {
        let data = [series("x", [:], (0...10).map { minute -> (seconds: Int64, value: Double) in (Int64(minute) * 60, Double(minute)) })]
        #expect(try values("count_over_time(x[5m])", at: 600, data) == ["{}": 6])
        #expect(try values("count_over_time(x[5m])", at: 599, data) == ["{}": 5])
        #expect(try values("sum_over_time(x[5m] offset 1m)", at: 600, data) == ["{}": 4 + 5 + 6 + 7 + 8 + 9])
    }

    @Test func staleMarkerEndsASeriesButNaNDoesNot() throws {
        let data = [
            series("gone", [:], [(0, 1), (60, StaleMarker.value)]),
            series("not_a_number", [:], [(0, 1), (60, .nan)]),
        ]
        #expect(try values("gone", at: 90, data) == [:])
        #expect(try values("gone", at: 30, data) == [#"{__name__="gone"}"#: 1])
        #expect(try values("count_over_time(gone[5m])", at: 90, data) == ["{}": 1])
        #expect(try values("not_a_number", at: 90, data)[#"{__name__="not_a_number"}"#]?.isNaN == true)
        guard case .matrix(let matrix) = try evaluate("gone[5m]", at: 90, data) else {
            Issue.record("expected a matrix")
            return
        }
        #expect(matrix.map(\.points) == [[SamplePoint(Timestamp(seconds: 0), 1)]])
        #expect(StaleMarker.isStale(StaleMarker.value) && !StaleMarker.isStale(.nan))
    }

    @Test func counterExtrapolationStopsAtTheZeroPointBeforeTheHalfIntervalRule() throws {
        // The series starts 200 s into the window. Prometheus 2 (promtool's reference) first caps the start at the counter's
        // zero point, 36 s before the first sample; 36 s is within 1.1 intervals, so it extrapolates 36 s there.
        // Prometheus 3 applies the half-interval rule first and would take 30 s.
        let data = [series("c", [:], (0..<7).map { step -> (seconds: Int64, value: Double) in (200 + Int64(step) * 60, 6 + Double(step) * 10) })]
        #expect(try values("increase(c[10m])", at: 600, data) == ["{}": 60 * ((360 + 36 + 40) / 360.0)])
        #expect(try values("rate(c[10m])", at: 600, data) == ["{}": 60 * ((360 + 36 + 40) / 360.0 / 600)])
        // Not a counter: delta ignores resets and the zero point.
        let gauge = [series("g", [:], [(0, 10), (60, 4), (120, 7)])]
        #expect(try values("delta(g[3m])", at: 150, gauge) == ["{}": -3 * ((120 + 30 + 30) / 120.0)])
        #expect(try values("increase(g[3m])", at: 150, gauge) == ["{}": 7 * ((120 + 30 + 30) / 120.0)])
    }

    @Test func functionsDropTheMetricNameExceptLastOverTime() throws {
        let data = [series("x", ["a": "1"], [(0, -2)])]
        #expect(try values("last_over_time(x[1m])", at: 30, data) == [#"{__name__="x",a="1"}"#: -2])
        #expect(try values("abs(x)", at: 30, data) == [#"{a="1"}"#: 2])
        #expect(try values("x > -3", at: 30, data) == [#"{__name__="x",a="1"}"#: -2])
        #expect(try values("x > bool -3", at: 30, data) == [#"{a="1"}"#: 1])
    }

    @Test func quantileOutsideZeroToOneIsInfinite() throws {
        let data = [series("x", [:], [(0, 1), (30, 2)])]
        #expect(try values("quantile_over_time(2, x[1m])", at: 40, data) == ["{}": .infinity])
        #expect(try values("quantile_over_time(-1, x[1m])", at: 40, data) == ["{}": -.infinity])
        #expect(try values("quantile_over_time(0.5, x[1m])", at: 40, data) == ["{}": 1.5])
    }

    @Test func absentTakesLabelsFromEqualityMatchersOnce() throws {
        #expect(try values(#"absent(x{a="1",b=~"2",c="3",c="4"})"#, at: 0, []) == [#"{a="1"}"#: 1])
    }

    @Test(arguments: [
        ("x / on(a) y", #"found duplicate series for the match group {a="1"} on the right hand-side of the operation"#),
        ("y / on(a) group_right x", #"found duplicate series for the match group {a="1"} on the left hand-side of the operation"#),
        (#"{__name__=~"x|y", b="1"} / on(a) group_left x"#, "multiple matches for labels: grouping labels must ensure unique matches"),
        ("y / on(a) x", "multiple matches for labels"),
        (#"abs({__name__=~"x|y", b="1"})"#, "vector cannot contain metrics with the same labelset: {a=\"1\",b=\"1\"}"),
        ("topk(NaN, x)", "Scalar value NaN overflows int64"), ("bottomk(1e19, x)", "Scalar value 1e+19 overflows int64"),
        ("holt_winters(x[5m], 1, 0.5)", "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000"),
    ])
    func ambiguousMatchingIsAnError(text: String, message: String) throws {
        let data = [
            series("x", ["a": "1", "b": "1"], [(0, 1)]),
            series("y", ["a": "1", "b": "1"], [(0, 1)]),
            series("y", ["a": "1", "b": "2"], [(0, 1)]),
        ]
        let error = try #require(throws: EvaluationError.self) { try evaluate(text, at: 0, data) }
        #expect(error.message.hasPrefix(message), "got \(error.message)")
    }

    @Test func scalarsAndTime() throws {
        #expect(try evaluate("time() - 10m", at: 1000, []) == .scalar(400))
        #expect(try evaluate("scalar(nothing)", at: 0, []).isNaNScalar)
        #expect(try evaluate("2 ^ 3 ^ 2 > bool 500", at: 0, []) == .scalar(1))
    }
}

extension EvaluationResult {
    fileprivate var isNaNScalar: Bool {
        if case .scalar(let value) = self { return value.isNaN }
        return false
    }
}
