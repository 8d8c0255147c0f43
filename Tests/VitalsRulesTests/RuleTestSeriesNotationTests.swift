import Testing
import VitalsCore
import VitalsRules

@Suite struct RuleTestSeriesNotationTests {
    @Test(arguments: [
        ("0+10x3", [0, 10, 20, 30]),
        ("1-2x4", [1, -1, -3, -5, -7]),
        ("5x2", [5, 5, 5]),
        ("-2x1 3", [-2, -2, 3]),
        ("1e3+1e2x1", [1000, 1100]),
        ("0.1+0.1x2", [0.1, 0.2, 0.30000000000000004]),
        ("+Inf -Inf", [.infinity, -.infinity]),
        ("7", [7]),
    ] as [(String, [Double])])
    func expandsValues(text: String, expected: [Double]) throws {
        #expect(try SeriesNotation.values(text) == expected.map { Optional($0) })
    }

    @Test func blanksLeaveStepsOutAndStaleIsTheMarker() throws {
        let values = try SeriesNotation.values("1 _ _x2 stale 2")
        #expect(values.count == 6)
        #expect(values[0] == 1)
        #expect(values[1...3].allSatisfy { $0 == nil })
        #expect(values[4].map(StaleMarker.isStale) == true)
        #expect(values[5] == 2)
    }

    @Test(arguments: [
        ("1+x3", "expected a number, '_' or 'stale' at character 2 of '1+x3'"),
        ("1+2", "expected 'x' and a count after '1.02.0' at character 2 of '1+2'"),
        ("1x", "expected a whole number after 'x' at character 3 of '1x'"),
        ("abc", "expected a number, '_' or 'stale' at character 1 of 'abc'"),
        ("1,2", "unexpected ','; values are separated by spaces at character 2 of '1,2'"),
    ])
    func rejectsMalformedValues(text: String, message: String) {
        #expect(throws: SeriesNotationError.self) { try SeriesNotation.values(text) }
        do {
            _ = try SeriesNotation.values(text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func readsSeriesLabels() throws {
        #expect(try SeriesNotation.labels(#"errors_total{repo="api", level='error'}"#) == ["__name__": "errors_total", "repo": "api", "level": "error"])
        #expect(try SeriesNotation.labels(#"{__name__="up",job="ci"}"#) == ["__name__": "up", "job": "ci"])
        #expect(try SeriesNotation.labels("job:errors:rate5m") == ["__name__": "job:errors:rate5m"])
        #expect(throws: SeriesNotationError.self) { try SeriesNotation.labels(#"m{a="1",a="2"}"#) }
        #expect(throws: SeriesNotationError.self) { try SeriesNotation.labels(#"m{a="1""#) }
    }
}
