import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsHTTP
import VitalsTestSupport

/// Against a loopback server answering as Prometheus' HTTP API documents `GET /api/v1/query`. The success, `NaN`, `+Inf`,
/// `string` and `bad_data` bodies are the ones a real Prometheus (2.42.0, Debian's package, on loopback) gave for
/// `vector(1)`, `time()`, `1/0`, `"s"` and `sum(`.
@Suite struct PrometheusCollectorTests {
    static let token = "prom_FAKEtoken0123456789abcdef"
    let now = RFC3339.parse("2026-03-02T12:00:00Z")!
    var request: CollectionRequest { CollectionRequest(now: now, timeZone: .gmt) }

    static func answer(_ json: String, status: Int = 200) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, headers: [("Content-Type", "application/json")], text: json)
    }

    func collector(_ server: LoopbackHTTPServer, _ queries: [(key: String, value: String)], token: String? = token, tokenEnv: String? = "PROM_TOKEN")
        -> PrometheusCollector
    {
        let http = HTTPClient(retry: RetryPolicy(maxAttempts: 2, jitter: { $0 }), sleep: { _ in })
        return PrometheusCollector(source: "prom", baseURL: server.baseURL, queries: queries, token: token, tokenEnv: tokenEnv, http: http)
    }

    /// The query parameters of a recorded request, decoded as Prometheus' form parser decodes them.
    static func parameters(_ request: LoopbackHTTPServer.Request) -> [String: String] {
        let query = String(request.target.drop { $0 != "?" }.dropFirst()).replacingOccurrences(of: "+", with: " ")
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            parameters[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return parameters
    }

    @Test func aVectorGivesOneLabelledSamplePerElementWithoutName() async throws {
        let server = try LoopbackHTTPServer { _ in
            Self.answer(
                #"""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"__name__":"up","job":"api","instance":"a:9100"},"value":[1772452800,"1"]},
                  {"metric":{"job":"api","instance":"b:9100"},"value":[1772452800,"0.25"]}]}}
                """#)
        }
        defer { server.stop() }
        let query = "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m])) + 1"

        let samples = try await collector(server, [("api_up", query)]).collect(request)

        #expect(samples.map(\.series.key.name) == ["api_up", "api_up"])
        #expect(samples.map(\.series.key.labels) == [["job": "api", "instance": "a:9100"], ["job": "api", "instance": "b:9100"]])
        #expect(samples.map(\.value) == [1, 0.25])
        #expect(samples.allSatisfy { $0.timestamp == now && $0.series.kind == .gauge })
        let sent = try #require(server.requests.first)
        #expect(sent.method == "GET" && sent.path == "/api/v1/query")
        #expect(Self.parameters(sent) == ["query": query, "time": "2026-03-02T12:00:00Z"])
        #expect(sent.header("Authorization") == "Bearer \(Self.token)")
    }

    @Test func aScalarGivesOneSampleAndNoTokenSendsNoAuthorization() async throws {
        let server = try LoopbackHTTPServer { _ in
            Self.answer(#"{"status":"success","data":{"resultType":"scalar","result":[1772452800,"1772452800"]}}"#)
        }
        defer { server.stop() }

        let samples = try await collector(server, [("now_seconds", "time()")], token: nil, tokenEnv: nil).collect(request)

        #expect(samples.map(\.series.key.labels) == [.empty])
        #expect(samples.map(\.value) == [1_772_452_800])
        #expect(server.requests.first?.header("Authorization") == nil)
    }

    @Test func specialValuesAreReadAsPrometheusWritesThemAndNaNWritesNothing() async throws {
        let server = try LoopbackHTTPServer { _ in
            Self.answer(
                #"""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"le":"a"},"value":[1772452800,"NaN"]},
                  {"metric":{"le":"b"},"value":[1772452800,"+Inf"]},
                  {"metric":{"le":"c"},"value":[1772452800,"-Inf"]},
                  {"metric":{"le":"d"},"value":[1772452800,"1e-3"]}]},"warnings":["something"]}
                """#)
        }
        defer { server.stop() }

        let samples = try await collector(server, [("m", "x")]).collect(request)

        #expect(samples.map(\.series.key.labels["le"]) == ["b", "c", "d"])
        #expect(samples.map(\.value) == [.infinity, -.infinity, 0.001])
    }

    @Test func queriesRunInTheOrderConfigured() async throws {
        let server = try LoopbackHTTPServer { request in
            let value = Self.parameters(request)["query"] == "vector(2)" ? "2" : "1"
            return Self.answer(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"\#(value)"]}]}}"#)
        }
        defer { server.stop() }

        let samples = try await collector(server, [("one", "vector(1)"), ("two", "vector(2)")]).collect(request)

        #expect(samples.map { "\($0.series.key.name) \($0.value)" } == ["one 1.0", "two 2.0"])
    }

    /// Each a recorded failure of the source, naming the query's metric, never the token.
    @Test(arguments: [
        (
            answer(#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}"#, status: 400),
            "HTTP 400: bad_data: 1:5: parse error: unexpected end of input"
        ),
        (
            answer(#"{"status":"error","errorType":"execution","error":"query processing would load too many samples"}"#, status: 422),
            "HTTP 422: execution: query processing would load too many samples"
        ),
        (
            answer(#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}}"#),
            "the result is a matrix; expected a vector or a scalar (an instant query of one value per series)"
        ),
        (
            answer(#"{"status":"success","data":{"resultType":"string","result":[1,"hello"]}}"#),
            "the result is a string; expected a vector or a scalar (an instant query of one value per series)"
        ),
        (
            LoopbackHTTPServer.Response(status: 200, text: "<html><body>Sign in</body></html>"),
            "the answer is not JSON (33 bytes starting '<html><body>Sign in</body></html>')"
        ),
        (answer(#"{"status":"success","data":{"resultType":"vec"#), "the answer is not JSON (45 bytes starting '{\"status\":\"success\",\"data\":{\"resultType\":\"vec')"),
        (
            answer(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}}"#),
            "unexpected JSON at data.result[0].value[1]: Expected to decode String but found number instead."
        ),
        (
            answer(#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"fast"]}]}}"#),
            "unexpected JSON at data.result[0].value[1]: 'fast' is not a sample value"
        ),
        (LoopbackHTTPServer.Response(status: 502, text: "<html>Bad gateway</html>"), "HTTP 502"),
    ])
    func aBadAnswerFailsTheSourceNamingTheQuery(response: LoopbackHTTPServer.Response, detail: String) async throws {
        let server = try LoopbackHTTPServer { _ in response }
        defer { server.stop() }

        do {
            _ = try await collector(server, [("error_ratio", "sum(x)")]).collect(request)
            Issue.record("a bad answer was read")
        } catch let error as CollectorError {
            #expect(error.source == "prom")
            #expect(error.message.hasPrefix("query 'error_ratio': "))
            #expect(error.message.contains(detail), "\(error.message)")
            #expect(!error.message.contains(Self.token))
        }
    }

    @Test func aTokenVariableThatIsNotSetFailsBeforeAnyRequest() async throws {
        let server = try LoopbackHTTPServer { _ in Self.answer("{}") }
        defer { server.stop() }

        await #expect(throws: CollectorError(source: "prom", "the environment variable PROM_TOKEN named by token_env is not set")) {
            try await collector(server, [("m", "x")], token: "").collect(request)
        }
        #expect(server.requests.isEmpty)
    }
}
