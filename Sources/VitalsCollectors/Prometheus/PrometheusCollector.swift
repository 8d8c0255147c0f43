public import Foundation
public import VitalsCore
public import VitalsHTTP

/// Runs instant queries against Prometheus' HTTP API (`GET /api/v1/query?query=…&time=…`, at the request's `now`) and
/// writes each answer under the metric name its query is configured with:
/// - a `vector` result: one gauge per element, labelled with the element's labels (without `__name__`);
/// - a `scalar` result: one gauge without labels of its own;
/// - `matrix` and `string` results are errors (a range query or a string is not one value per series).
///
/// Samples are stamped at the request's `now` (the time the query was evaluated at), valued as Prometheus encodes them,
/// `"NaN"`, `"+Inf"` and `"-Inf"` included; a `NaN` writes no sample, since the store cannot hold one. An error answer
/// (`{"status":"error","errorType":…,"error":…}`), another HTTP failure, or a body that is not such an answer fails the
/// source, naming the query's metric; the token never appears in a message.
public struct PrometheusCollector: Collector {
    public let source: String
    public var family: MetricFamily { .stability }
    public let interval: TimeSpan
    public let baseURL: URL
    /// Metric names and their PromQL, in the order configured.
    public let queries: [(key: String, value: String)]
    /// The bearer token; nil sends no `Authorization` header.
    let token: String?
    /// The environment variable the token comes from, to name it when it is not set.
    let tokenEnv: String?
    public let http: HTTPClient
    public var metrics: [String] { queries.map(\.key) }

    public init(
        source: String = "prometheus", baseURL: URL, queries: [(key: String, value: String)], token: String? = nil, tokenEnv: String? = nil,
        http: HTTPClient = HTTPClient(), interval: TimeSpan = .minutes(5)
    ) {
        self.source = source
        self.baseURL = baseURL
        self.queries = queries
        self.token = token
        self.tokenEnv = tokenEnv
        self.http = http
        self.interval = interval
    }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        if let tokenEnv, token?.isEmpty ?? true {
            throw CollectorError(source: source, "the environment variable \(tokenEnv) named by token_env is not set")
        }
        var samples: [Sample] = []
        for (metric, query) in queries {
            do {
                let result = try await instantQuery(query, at: request.now)
                samples += try PrometheusQueryResult.samples(of: result, metric: metric, at: request.now)
            } catch let error as HTTPError {
                throw CollectorError(source: source, "query '\(metric)': \(error.description)")
            } catch let error as PrometheusError {
                throw CollectorError(source: source, "query '\(metric)': \(error.description)")
            }
        }
        return samples
    }

    /// The body of Prometheus' answer to an instant query of `query` at `time`; an error answer is a ``PrometheusError``.
    func instantQuery(_ query: String, at time: Timestamp) async throws -> Data {
        var components = URLComponents(url: baseURL.appendingPathComponent("api/v1/query"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "query", value: query), URLQueryItem(name: "time", value: RFC3339.format(time))]
        // `+` in a query item means a space to Prometheus' form parser; URLComponents leaves it as it is.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        var httpRequest = HTTPRequest(url: components.url!)
        httpRequest.headers.set("Accept", "application/json")
        if let token, !token.isEmpty { httpRequest.headers.set("Authorization", "Bearer \(token)") }
        // Prometheus answers bad queries with 400 or 422 and a JSON error body, which says more than the status; a 503
        // (a timeout or a server shutting down) is retried like other 5xx.
        let response = try await http.send(httpRequest) { $0.isSuccess || [400, 422].contains($0.status) }
        guard response.isSuccess else {
            throw PrometheusError(
                "\(httpRequest.redactedDescription): HTTP \(response.status): \(PrometheusQueryResult.errorMessage(response.body))")
        }
        return response.body
    }
}

/// What was wrong with Prometheus' answer, in words for the run log.
public struct PrometheusError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
