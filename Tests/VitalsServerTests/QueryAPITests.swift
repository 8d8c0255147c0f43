import Foundation
import Testing
import VitalsCore
import VitalsRules
import VitalsServer

/// The Prometheus query API over a real socket: shapes, parameters and errors as Prometheus' `web/api/v1/api.go` has them,
/// and answers equal to the evaluator's own.
@Suite struct QueryAPITests {
    let fixture: ServerFixture

    init() async throws {
        fixture = try await ServerFixture()
    }

    static let expressions = [
        "build_duration_seconds", "build_duration_seconds{repo=\"api\"} * 2", "sum by (branch) (build_duration_seconds)",
        "rate(http_requests_total[5m])", "max_over_time(build_duration_seconds[10m])", "count(vitals_source_up == 1)", "scalar(vitals_source_up)",
        "1 + 2", "absent(nothing_here)",
    ]

    @Test(arguments: expressions)
    func instantQueryEqualsTheEvaluator(_ expression: String) async throws {
        let time = ServerFixture.now.subtracting(.seconds(70))
        let expected = try await fixture.evaluate(expression, at: time)
        try await fixture.withServer { (client: TestClient) async throws in
            let query = "/api/v1/query?query=\(Self.encoded(expression))&time=\(time.secondsSinceEpoch)"
            let response = try await client.get(query)
            #expect(response.status == 200, "\(response.body)")
            let data = try #require((response.json as? [String: Any])?["data"] as? [String: Any])
            #expect((response.json as? [String: Any])?["status"] as? String == "success")
            switch expected {
            case .vector(let samples):
                #expect(data["resultType"] as? String == "vector")
                #expect(Self.vector(data["result"]) == samples.map { Self.Element(labels: $0.labels.dictionary, value: Self.text($0.value)) })
                for element in data["result"] as? [[String: Any]] ?? [] {
                    #expect((element["value"] as? [Any])?.first as? Double == time.secondsSinceEpoch)
                }
            case .scalar(let value):
                #expect(data["resultType"] as? String == "scalar")
                #expect((data["result"] as? [Any])?.last as? String == Self.text(value))
            case .matrix:
                Issue.record("not an instant expression")
            }
        }
    }

    @Test func rangeSelectorGivesAMatrixWithEachPointsOwnTime() async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get(
                "/api/v1/query?query=\(Self.encoded("build_duration_seconds{repo=\"api\"}[2m]"))&time=2026-11-20T10:30:00Z")
            #expect(
                response.body
                    == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"build_duration_seconds","branch":"main","repo":"api"},"values":[[1795170480,"38"],[1795170540,"39"],[1795170600,"40"]]}]}}"#
            )
        }
    }

    @Test func postFormAndGetAnswerAlike() async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            let get = try await client.get("/api/v1/query?query=\(Self.encoded("sum(build_duration_seconds)"))&time=1795170000.5")
            let post = try await client.post("/api/v1/query", form: "query=sum%28build_duration_seconds%29&time=1795170000.5")
            #expect(get.status == 200)
            #expect(get.body == post.body)
            #expect(get.body == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795170000.500,"60"]}]}}"#)
        }
    }

    @Test func rangeQueryEqualsTheEvaluatorAtEachStep() async throws {
        let expression = "rate(http_requests_total[2m]) * 60"
        let start = ServerFixture.start.adding(.minutes(5))
        let end = ServerFixture.now
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get(
                "/api/v1/query_range?query=\(Self.encoded(expression))&start=\(RFC3339.format(start))&end=\(end.secondsSinceEpoch)&step=1m30s")
            #expect(response.status == 200, "\(response.body)")
            let data = try #require((response.json as? [String: Any])?["data"] as? [String: Any])
            #expect(data["resultType"] as? String == "matrix")
            let series = try #require((data["result"] as? [[String: Any]])?.first)
            let values = try #require(series["values"] as? [[Any]])
            var expected: [[String]] = []
            var time = start
            while time <= end {
                if case .vector(let samples) = try await fixture.evaluate(expression, at: time), let sample = samples.first {
                    expected.append([String(time.secondsSinceEpoch), Self.text(sample.value)])
                }
                time = time.adding(.seconds(90))
            }
            #expect(values.map { [String(($0[0] as? Double) ?? -1), ($0[1] as? String) ?? ""] } == expected)
            #expect(expected.count == 17)
        }
    }

    @Test func scalarRangeQueryIsOneSeriesWithoutLabels() async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/api/v1/query_range?query=2&start=0&end=120&step=60")
            #expect(
                response.body
                    == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"2"],[60,"2"],[120,"2"]]}]}}"#)
        }
    }

    /// Each bad request with Prometheus' status code, error type and message.
    @Test(arguments: [
        ("/api/v1/query?query=up&time=yesterday", 400, "bad_data", "invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp"),
        ("/api/v1/query?query=sum(", 400, "bad_data", "invalid parameter \"query\": 1:5: parse error:"),
        ("/api/v1/query", 400, "bad_data", "invalid parameter \"query\": 1:1: parse error:"),
        (
            "/api/v1/query_range?query=up&start=10&end=5&step=1", 400, "bad_data",
            "invalid parameter \"end\": end timestamp must not be before start time"
        ),
        (
            "/api/v1/query_range?query=up&start=0&end=10&step=0", 400, "bad_data",
            "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"
        ),
        (
            "/api/v1/query_range?query=up&start=0&end=10&step=soon", 400, "bad_data",
            "invalid parameter \"step\": cannot parse \"soon\" to a valid duration"
        ),
        ("/api/v1/query_range?query=up&end=10&step=1", 400, "bad_data", "invalid parameter \"start\": cannot parse \"\" to a valid timestamp"),
        (
            "/api/v1/query_range?query=up&start=0&end=11001&step=1", 400, "bad_data",
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
        ),
        (
            "/api/v1/query_range?query=up[5m]&start=0&end=10&step=1", 400, "bad_data",
            "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"
        ),
        (
            "/api/v1/query?query=build_duration_seconds%20*%20on(branch)%20build_duration_seconds&time=1795170600", 422, "execution",
            "found duplicate series for the match group {branch=\"main\"} on the right hand-side of the operation"
        ),
        ("/api/v1/query_range?query=up&start=0&end=100&step=1&timeout=0s", 503, "timeout", "query timed out in expression evaluation"),
        ("/api/v1/series", 400, "bad_data", "no match[] parameter provided"),
        (
            "/api/v1/series?match%5B%5D=%7B%7D", 400, "bad_data",
            "invalid parameter \"match[]\": 1:1: parse error: vector selector must contain at least one non-empty matcher"
        ),
        ("/api/v1/label/0bad/values", 400, "bad_data", "invalid label name: \"0bad\""),
        ("/api/v1/rules?type=both", 400, "bad_data", "invalid parameter \"type\": not supported value \"both\""),
    ])
    func badRequestsGivePrometheusErrors(_ path: String, _ status: Int, _ type: String, _ message: String) async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get(path)
            #expect(response.status == status, "\(response.body)")
            let json = try #require(response.json as? [String: Any])
            #expect(json["status"] as? String == "error")
            #expect(json["errorType"] as? String == type)
            #expect((json["error"] as? String)?.hasPrefix(message) == true, "\(json["error"] ?? "")")
        }
    }

    @Test func lookbackDeltaWidensWhatAnInstantSelectorSees() async throws {
        let later = ServerFixture.now.adding(.minutes(20))
        try await fixture.withServer { (client: TestClient) async throws in
            let none = try await client.get("/api/v1/query?query=vitals_source_up&time=\(later.secondsSinceEpoch)")
            #expect(none.body == #"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
            let wide = try await client.get("/api/v1/query?query=vitals_source_up&time=\(later.secondsSinceEpoch)&lookback_delta=1h")
            #expect(wide.body.contains(#""value":[1795171800,"1"]"#), "\(wide.body)")
        }
    }

    // MARK: Helpers

    struct Element: Equatable {
        let labels: [String: String]
        let value: String
    }

    static func vector(_ result: Any?) -> [Element] {
        ((result as? [[String: Any]]) ?? []).map {
            Element(labels: ($0["metric"] as? [String: String]) ?? [:], value: (($0["value"] as? [Any])?.last as? String) ?? "")
        }
    }

    /// A value as Prometheus writes it (Go's `strconv.FormatFloat(v, 'f', -1, 64)`).
    static func text(_ value: Double) -> String { GoNumberFormat.shortestFixed(value) }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
