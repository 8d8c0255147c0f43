public import Foundation
import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle
public import VitalsCore
public import VitalsPorts
public import VitalsRules

/// The read-only HTTP API of `vitals run`: `/healthz`, `/metrics`, the Prometheus query API and `/api/report`.
///
/// The daemon builds it with ``application(store:alerts:outbox:rules:reports:metrics:version:health:listen:lookback:now:logger:onListening:)`` and
/// runs the result in its `ServiceGroup` beside its other services; docs/http-api.md describes the endpoints.
public enum VitalsServer {
    /// The HTTP server as a swift-service-lifecycle `Service`: it answers until the group shuts it down gracefully.
    ///
    /// - Parameters:
    ///   - store: the metric store the API reads (samples, series, the job-run log).
    ///   - alerts: the alert state the evaluation rounds keep (`/api/v1/rules`, `/api/v1/alerts`); nil shows no state.
    ///   - outbox: the outbox whose dead letters a named report lists (`/api/report?name=`); nil lists none.
    ///   - rules: the loaded rule files.
    ///   - reports: what `/api/report` builds reports with.
    ///   - metrics: vitals' own metrics, which the daemon records into and `/metrics` exposes.
    ///   - health: when `/healthz` says 503, and the scheduler's heartbeat.
    ///   - listen: 127.0.0.1:9464 unless the user asked for more.
    ///   - lookback: how far back an instant selector looks when a query gives no `lookback_delta` (Prometheus: 5m).
    ///   - now: the clock queries without a `time` and the health check read.
    ///   - version: vitals' version, which `/api/v1/status/buildinfo` reports.
    ///   - logger: where the server logs (Hummingbird's request errors).
    ///   - onListening: called with the bound port once the server listens (port 0 binds a free one).
    public static func application(
        store: any MetricStore & JobRunLog & LatestSampleReader, alerts: (any AlertStore & AlertHistory)?, outbox: (any OutboxStore)?, rules: [RuleFile], reports: ReportSettings, metrics: VitalsMetrics,
        version: String, health: HealthPolicy = HealthPolicy(), listen: ListenAddress = .default, lookback: TimeSpan = .minutes(5),
        now: @escaping @Sendable () -> Timestamp = { Timestamp(Date()) }, logger: Logger = Logger(label: "vitals.http"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some Service {
        let routes = Routes(
            query: QueryAPI(store: store, lookback: lookback, now: now), rules: RulesAPI(files: rules, alerts: alerts),
            exposition: MetricsExposition(store: store, metrics: metrics), health: HealthCheck(store: store, policy: health, now: now),
            report: ReportEndpoint(store: store, alerts: alerts, outbox: outbox, settings: reports, now: now), version: version)
        return Application(
            router: routes.router(),
            configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: "vitals"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? listen.port) },
            logger: logger)
    }
}

/// The routes and what answers each.
struct Routes: Sendable {
    let query: QueryAPI
    let rules: RulesAPI
    let exposition: MetricsExposition
    let health: HealthCheck
    let report: ReportEndpoint
    let version: String

    /// The most a POST body may hold (a long query with many `match[]`).
    static let bodyLimit = 1 << 20

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in
            let (status, body) = try await health.answer()
            return Self.json(body, status: status)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: try await exposition.text())))
        }
        api(router, "/api/v1/query", methods: [.get, .post]) { try await query.query($0) }
        api(router, "/api/v1/query_range", methods: [.get, .post]) { try await query.queryRange($0) }
        api(router, "/api/v1/series", methods: [.get, .post]) { try await query.series($0) }
        api(router, "/api/v1/labels", methods: [.get, .post]) { try await query.labelNames($0) }
        router.get("/api/v1/label/:name/values") { request, context in
            let name = context.parameters.get("name") ?? ""
            return await Self.answer { try await query.labelValues(name.removingPercentEncoding ?? name, FormParameters(query: request.uri.query)) }
        }
        api(router, "/api/v1/rules", methods: [.get]) { try await rules.rules($0) }
        api(router, "/api/v1/alerts", methods: [.get]) { _ in try await rules.alerts() }
        api(router, "/api/v1/status/buildinfo", methods: [.get]) { [version] _ in
            var json = JSONText()
            json.raw("{\"status\":\"success\",\"data\":{\"version\":")
            json.string(version)
            json.raw(",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}}")
            return json.text
        }
        router.get("/api/report") { request, _ in
            await Self.answer { try await report.report(FormParameters(query: request.uri.query)) }
        }
        return router
    }

    /// Registers `handler` for `path` under each of `methods`; a POST reads its form body too.
    private func api(
        _ router: Router<BasicRequestContext>, _ path: RouterPath, methods: [HTTPRequest.Method],
        _ handler: @escaping @Sendable (FormParameters) async throws -> String
    ) {
        for method in methods {
            router.on(path, method: method) { request, _ in
                var body: String?
                if method == .post {
                    body = String(buffer: try await request.body.collect(upTo: Self.bodyLimit))
                }
                let parameters = FormParameters(query: request.uri.query, body: body)
                return await Self.answer { try await handler(parameters) }
            }
        }
    }

    /// The handler's JSON, or its error in Prometheus' error shape.
    private static func answer(_ handler: () async throws -> String) async -> Response {
        do {
            return json(try await handler(), status: 200)
        } catch let error as APIError {
            return json(error.body, status: error.status)
        } catch {
            let failure = APIError(.internal, "\(error)")
            return json(failure.body, status: failure.status)
        }
    }

    private static func json(_ body: String, status: Int) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
