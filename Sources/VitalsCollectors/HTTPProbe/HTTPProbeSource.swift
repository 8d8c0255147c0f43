public import Foundation
public import VitalsCore
import VitalsHTTP

extension SourceType {
    /// `type: http_probe`: whether a URL answers, and how fast. It needs no token; a URL that must carry one puts it in
    /// its query or credentials, which never appear in labels or messages.
    public static let httpProbe = SourceType(
        "http_probe", isLocal: false, defaultInterval: .minutes(1), requiresToken: false,
        options: ["url": .endpoint, "expect_status": .statusCodes, "timeout": .duration], requiredOptions: ["url"])
}

/// The `http_probe` source type: its options, metrics and collector.
public enum HTTPProbeSource {
    public static let success = "probe_success"
    public static let duration = "probe_duration_seconds"

    public static let definition = SourceDefinition(
        type: .httpProbe,
        metrics: [
            MetricDefinition(
                success, family: .stability, kind: .gauge, unit: .count, source: .httpProbe, labels: ["source", "url"], title: "Uptime",
                definition: "1 when a GET of `url` got its whole answer within `timeout` (default 10s) with a status in `expect_status` "
                    + "(default 200), else 0 (another status, a refused connection, a timeout, an answer over 20 MB); one sample per "
                    + "collection, stamped at it, so its average over a period is the uptime ratio. `url` is the URL without its "
                    + "query, fragment and credentials. Redirects are followed (the final answer counts); a request is never retried.",
                derivation: .successRatio),
            MetricDefinition(
                duration, family: .stability, kind: .gauge, unit: .seconds, source: .httpProbe, labels: ["source", "url"],
                title: "Probe duration",
                definition: "Seconds from the start of the request to the end of the whole answer, on a monotonic clock; for a "
                    + "probe that timed out, `timeout`; for a refused connection, the time until the refusal."),
        ],
        collector: { config, _ in probe(config) },
        check: { config, _ in
            let probe = probe(config)
            do {
                let response = try await probe.transport.send(HTTPRequest(url: probe.url, timeout: probe.timeout))
                let expected = probe.expectedStatuses.sorted().map(String.init).joined(separator: ", ")
                guard probe.expectedStatuses.contains(response.status) else {
                    return .failed(
                        "GET \(probe.label): HTTP \(response.status), expected \(expected)",
                        fix: "check url, and expect_status if \(response.status) is a healthy answer")
                }
                return .passed("GET \(probe.label): HTTP \(response.status)")
            } catch {
                return .failed(String(describing: error), fix: "check url, the network and any HTTPS_PROXY/NO_PROXY settings")
            }
        })

    /// The loader checked `url`, `expect_status` and `timeout`.
    static func probe(_ config: SourceConfig) -> HTTPProbeCollector {
        HTTPProbeCollector(
            source: config.name, url: URL(string: config.string("url") ?? "")!, interval: config.interval,
            expectedStatuses: Set((config.strings("expect_status") ?? ["200"]).compactMap { Int($0) }),
            timeout: config.string("timeout").flatMap { try? TimeSpan(parsing: $0) }.map { .milliseconds($0.milliseconds) } ?? .seconds(10))
    }
}
