import Foundation
import Testing
import VitalsCollectors
import VitalsCore

/// `queries` are metric names (Prometheus' grammar) mapped to PromQL; mistakes are positioned configuration errors.
@Suite struct PrometheusConfigTests {
    func load(_ text: String, environment: [String: String] = [:]) throws(ConfigError) -> VitalsConfig {
        try ConfigLoader.parse(text, file: "vitals.yml", environment: environment, sourceTypes: SourceRegistry.types)
    }

    @Test func queriesKeepTheirOrderAndTheTokenIsOptional() throws {
        let config = try load(
            """
            sources:
              - type: prometheus
                base_url: http://127.0.0.1:9090
                queries:
                  http_error_ratio: 'sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))'
                  up:ready: up
            """)
        let source = try #require(config.sources.first)
        #expect(source.interval == .minutes(5))
        #expect(source.tokenEnv == nil)
        #expect(source.mapping("queries")?.map(\.key) == ["http_error_ratio", "up:ready"])
        #expect(source.mapping("queries")?.last?.value == "up")
        let collector = SourceRegistry.collector(for: source, root: URL(fileURLWithPath: "/"))
        #expect(collector.metrics == ["http_error_ratio", "up:ready"])
    }

    @Test(arguments: [
        ("    queries:\n      5xx_ratio: x\n", "vitals.yml:5:7: sources[0].queries: '5xx_ratio' is not a metric name; expected letters, digits, '_' and ':', not starting with a digit"),
        ("    queries:\n      error-ratio: x\n", "vitals.yml:5:7: sources[0].queries: 'error-ratio' is not a metric name; expected letters, digits, '_' and ':', not starting with a digit"),
        ("    queries: {}\n", "vitals.yml:4:14: sources[0].queries: expected a mapping of metric names to queries, such as {http_error_ratio: 'sum(rate(...))'}, found an empty mapping"),
        ("    queries: [up]\n", "vitals.yml:4:14: sources[0].queries: expected a mapping of metric names to queries, such as {http_error_ratio: 'sum(rate(...))'}, found a list"),
        ("    queries:\n      up: ''\n", "vitals.yml:5:11: sources[0].queries.up: expected a query, found an empty string"),
        ("    queries:\n      up: [a]\n", "vitals.yml:5:11: sources[0].queries.up: expected a string, found a list"),
        ("", "vitals.yml:2:5: sources[0]: missing required key 'queries' for a source of type prometheus"),
    ])
    func aBadQueryMappingIsAPositionedError(tail: String, message: String) {
        let text = "sources:\n  - type: prometheus\n    base_url: http://127.0.0.1:9090\n" + tail
        #expect(throws: ConfigError.self) { try load(text) }
        do { _ = try load(text) } catch { #expect(error.description == message) }
    }
}
