public import Foundation
public import VitalsCore
public import VitalsHTTP

/// Sentry's Web API (`/api/0/`, sentry.io or a self-hosted server): the token as a bearer token; cursor pagination by
/// `Link` headers (`rel="next"; results="true"`, the last page's next link saying `results="false"`); rate limits as
/// Sentry announces them (`X-Sentry-Rate-Limit-Remaining` 0: pause until `X-Sentry-Rate-Limit-Reset`, epoch seconds, and
/// say so; a 429: wait what `Retry-After`, else the reset, asks, then try again). Errors carry Sentry's `detail`, never
/// the token. Pages are kept in the run's ``CollectionState``, so a resumed run does not ask for them again.
public struct SentryClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://sentry.io")!

    public let baseURL: URL
    let token: String
    public let api: RemoteAPI
    /// Where pages are kept; nil keeps nothing.
    public private(set) var state: CollectionState?

    public init(baseURL: URL = SentryClient.defaultBaseURL, token: String, api: RemoteAPI = RemoteAPI(), state: CollectionState? = nil) {
        self.baseURL = baseURL
        self.token = token
        self.api = api
        self.state = state
    }

    /// This client keeping its pages in `state` (a run's), unless it keeps them somewhere already.
    public func keeping(_ state: CollectionState?) -> SentryClient {
        var client = self
        client.state = self.state ?? state
        return client
    }

    /// `api/0/PATH` under the base URL, with `query`.
    public func url(_ path: String, query: [(String, String)] = []) -> URL {
        RemoteAPI.url(baseURL, "api/0/" + path, query: query)
    }

    /// One page, decoded as `Value`, and the next page's URL (nil on the last); a page the resumed run fetched is
    /// taken from ``state`` without asking again.
    public func page<Value: Codable & Sendable>(_ url: URL, as type: Value.Type) async throws -> (value: Value, next: URL?) {
        let key = CollectionState.key(for: url)
        if let kept = try await state?.resumedPage(key, as: Value.self) { return (kept.value, kept.next) }
        var request = HTTPRequest(url: url)
        request.headers.set("Accept", "application/json")
        request.headers.set("Authorization", "Bearer \(token)")
        var refusals = 0
        while true {
            let response = try await api.http.send(request) { $0.isSuccess || (400..<500).contains($0.status) }
            switch response.status {
            case 429:
                refusals += 1
                guard refusals <= api.rateLimitAttempts else {
                    throw RemoteAPIError(
                        "\(request.redactedDescription): still refused (HTTP 429) after \(api.rateLimitAttempts) waits for Sentry's rate limit",
                        status: 429)
                }
                let wait = retryAfter(response) ?? reset(response) ?? .seconds(60)
                try await api.pause(wait, request, "Sentry's rate limit (HTTP 429)")
            case 200..<300:
                if response.headers["X-Sentry-Rate-Limit-Remaining"]?.trimmingCharacters(in: .whitespaces) == "0", let wait = reset(response) {
                    try await api.pause(wait, request, "Sentry's rate limit (X-Sentry-Rate-Limit-Remaining 0) until it resets")
                }
                let value = try RemoteAPI.decode(Value.self, from: response.body, request: request)
                let next = WebLink.nextPage(of: response, requested: url)
                try await state?.keep(value, key: key, etag: nil, next: next)
                return (value, next)
            default:
                throw RemoteAPIError(
                    "\(request.redactedDescription): HTTP \(response.status): \(Self.message(response.body))", status: response.status)
            }
        }
    }

    /// One JSON object.
    public func object<Value: Codable & Sendable>(_ path: String, query: [(String, String)] = [], as type: Value.Type) async throws -> Value {
        try await page(url(path, query: query), as: Value.self).value
    }

    /// Every page of a list, decoded.
    public func list<Item: Codable & Sendable>(_ path: String, query: [(String, String)], as type: Item.Type) async throws -> [Item] {
        var items: [Item] = []
        var next: URL? = url(path, query: query)
        while let current = next {
            let page = try await page(current, as: [Item].self)
            items += page.value
            next = page.next
        }
        return items
    }

    func retryAfter(_ response: HTTPResponse) -> Duration? {
        response.headers["Retry-After"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.map {
            .milliseconds(Int64(($0 * 1000).rounded(.up)))
        }
    }

    func reset(_ response: HTTPResponse) -> Duration? {
        response.headers["X-Sentry-Rate-Limit-Reset"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.map(api.wait(until:))
    }

    /// Sentry's `detail` from an error body, else the start of the body.
    static func message(_ body: Data) -> String {
        struct Detail: Decodable { let detail: String }
        if let detail = try? JSONDecoder().decode(Detail.self, from: body) { return detail.detail }
        return RemoteAPI.excerpt(body)
    }
}

/// The parts of Sentry's answers vitals reads, named as its API documents them.
public enum SentryRecords {
    /// `GET /api/0/projects/{org}/{project}/`: the project's numeric id, which the organization endpoints filter by.
    public struct Project: Codable, Sendable {
        public let id: String
        public let slug: String

        enum CodingKeys: String, CodingKey { case id, slug }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            slug = try container.decode(String.self, forKey: .slug)
            // Sentry sends ids as strings; a number is taken too.
            if let number = try? container.decode(Int.self, forKey: .id) {
                id = String(number)
            } else {
                id = try container.decode(String.self, forKey: .id)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(slug, forKey: .slug)
        }
    }

    /// The answer of the sessions and stats_v2 endpoints: `intervals`, and `groups`, each with its `by` values and a
    /// `series` per requested field, aligned with `intervals` (a value may be null: a rate without sessions).
    public struct Series: Codable, Sendable {
        public let intervals: [Timestamp]
        public let groups: [Group]

        public struct Group: Codable, Sendable {
            public let by: [String: String]
            public let series: [String: [FlexibleNumber?]]
        }

        /// The values of `field` in the groups whose `by[key]` is one of `values`, summed per interval.
        public func sum(_ field: String, where key: String, in values: Set<String>) -> [Double] {
            groups.filter { values.contains($0.by[key] ?? "") }.reduce(into: Array(repeating: 0, count: intervals.count)) { sums, group in
                for (index, value) in (group.series[field] ?? []).prefix(intervals.count).enumerated() { sums[index] += value?.value ?? 0 }
            }
        }

        /// The values of `field` in the first group, per interval.
        public func values(_ field: String) -> [Double?] {
            let values = groups.first?.series[field] ?? []
            return intervals.indices.map { $0 < values.count ? values[$0]?.value : nil }
        }
    }

    /// An item of `GET /api/0/projects/{org}/{project}/issues/`.
    public struct Issue: Codable, Sendable {
        public let id: String
        public let firstSeen: Timestamp
    }
}
