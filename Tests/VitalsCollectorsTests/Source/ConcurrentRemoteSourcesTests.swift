import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsHTTP
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// The remote sources of one collection run at once and send their requests through one HTTP client, so its per-host
/// limit counts the requests of all of them together, while a source on another host is not held up.
@Suite struct ConcurrentRemoteSourcesTests {
    let now = RFC3339.parse("2026-11-25T12:00:00Z")!

    /// What two Prometheus stand-ins saw: requests in flight per server, the most at once, and whether a request of one
    /// was held until the other had received one (each server holds its requests so, for at most 10 s: only a run that
    /// reads the servers one after another waits that out).
    final class Servers: @unchecked Sendable {
        private let condition = NSCondition()
        private var inFlight: [String: Int] = [:]
        private var received: [String: Int] = [:]
        private var most: [String: Int] = [:]
        private var metTheOther: [String: Bool] = [:]

        func answer(_ server: String, waitingFor other: String) -> LoopbackHTTPServer.Response {
            condition.lock()
            defer { condition.unlock() }
            inFlight[server, default: 0] += 1
            received[server, default: 0] += 1
            most[server] = max(most[server, default: 0], inFlight[server, default: 0])
            condition.broadcast()
            let deadline = Date().addingTimeInterval(10)
            while received[other, default: 0] == 0, condition.wait(until: deadline) {}
            metTheOther[server] = metTheOther[server, default: true] && received[other, default: 0] > 0
            inFlight[server, default: 1] -= 1
            return LoopbackHTTPServer.Response(
                headers: [("Content-Type", "application/json")],
                text: #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1764072000,"1"]}]}}"#)
        }

        func mostInFlight(_ server: String) -> Int {
            condition.lock()
            defer { condition.unlock() }
            return most[server, default: 0]
        }

        func met(_ server: String) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            return metTheOther[server] ?? false
        }
    }

    @Test func sourcesOnOneHostShareItsLimitWhileAnotherHostProceeds() async throws {
        let servers = Servers()
        let hostA = try LoopbackHTTPServer { _ in servers.answer("a", waitingFor: "b") }
        defer { hostA.stop() }
        let hostB = try LoopbackHTTPServer { _ in servers.answer("b", waitingFor: "a") }
        defer { hostB.stop() }
        let config = try ConfigLoader.parse(
            """
            sources:
              - {type: prometheus, name: a1, base_url: \(hostA.baseURL.absoluteString), queries: {a1_up: up, a1_ready: up}}
              - {type: prometheus, name: a2, base_url: \(hostA.baseURL.absoluteString), queries: {a2_up: up, a2_ready: up}}
              - {type: prometheus, name: b, base_url: \(hostB.baseURL.absoluteString), queries: {b_up: up}}
            """, file: "vitals.yml", environment: [:], sourceTypes: SourceRegistry.types)
        let context = CollectorContext(root: URL(fileURLWithPath: "/"), http: HTTPClient(retry: .never, limiter: HostLimiter(limit: 1)))
        let collectors = config.sources.map { SourceRegistry.definition(of: $0.type).collector(for: $0, context: context) }
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))

        let outcomes = try await CollectionRunner(store: store, sources: config.sources).run(collectors, now: now, timeZone: .gmt)

        #expect(outcomes.map(\.source) == ["a1", "a2", "b"], "in the configuration's order")
        #expect(outcomes.map(\.status) == [.ok, .ok, .ok])
        #expect(outcomes.map(\.samples) == [2, 2, 1])
        #expect(hostA.requests.count == 4 && hostB.requests.count == 1)
        #expect(servers.mostInFlight("a") == 1, "two sources on one host, limit 1: never two requests at once")
        #expect(servers.met("a") && servers.met("b"), "the other host's source ran meanwhile")
    }

    @Test func sourcesBuiltForOneProcessShareOneClient() throws {
        let config = try ConfigLoader.parse(
            """
            sources:
              - {type: github, name: web, repo: acme/web, token_env: GH_TOKEN}
              - {type: github, name: api, repo: acme/api, token_env: GH_TOKEN}
              - {type: prometheus, base_url: "http://127.0.0.1:9090", queries: {up: up}}
            """, file: "vitals.yml", environment: ["GH_TOKEN": "t"], sourceTypes: SourceRegistry.types)
        let collectors = config.sources.map { SourceRegistry.collector(for: $0, root: URL(fileURLWithPath: "/"), environment: ["GH_TOKEN": "t"]) }
        let web = try #require(collectors.first as? GitHubCollector)
        let api = try #require(collectors.dropFirst().first as? GitHubCollector)
        let prometheus = try #require(collectors.last as? PrometheusCollector)
        #expect(web.client.http.limiter === api.client.http.limiter)
        #expect(prometheus.http.limiter === web.client.http.limiter)
        #expect(web.client.http.limiter === CollectorContext.processHTTP.limiter)
    }
}
