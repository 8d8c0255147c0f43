import Foundation
public import VitalsCore

extension SourceType {
    /// `type: prometheus`: instant queries through a Prometheus server's HTTP API (`base_url`, e.g. `http://prometheus:9090`),
    /// each written under the metric name it is configured with; `token_env` (optional) names a bearer token.
    public static let prometheus = SourceType(
        "prometheus", isLocal: false, defaultInterval: .minutes(5), requiresToken: false, options: ["base_url": .url, "queries": .queries],
        requiredOptions: ["base_url", "queries"])
}

/// The `prometheus` source type: its options and collector. Its metrics are the ones its `queries` name, so it declares
/// none; `docs/metrics.md` (section Prometheus queries) says what their samples are.
public enum PrometheusSource {
    public static let definition = SourceDefinition(
        type: .prometheus, metrics: [], metricsFromInput: true,
        collector: { config, context in collector(config, context) },
        check: { config, context in
            await SourceCheck.asking(tokenEnv: config.tokenEnv, notFound: "check base_url: it is the server's root, such as http://prometheus:9090") {
                _ = try await collector(config, context).instantQuery("vector(1)", at: Timestamp(Date()))
                return "GET api/v1/query?query=vector(1): answered"
            }
        })

    static func collector(_ config: SourceConfig, _ context: CollectorContext) -> PrometheusCollector {
        let tokenEnv = config.tokenEnv
        return PrometheusCollector(
            source: config.name, baseURL: config.string("base_url").flatMap(URL.init(string:)) ?? URL(string: "http://127.0.0.1:9090")!,
            queries: config.mapping("queries") ?? [], token: tokenEnv.map { context.environment[$0] ?? "" }, tokenEnv: tokenEnv,
            http: context.http, interval: config.interval)
    }
}
