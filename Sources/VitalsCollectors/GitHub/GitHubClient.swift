public import Foundation
public import VitalsHTTP

/// GitHub's REST API over ``HTTPClient``: the token from the environment, `Link` pagination, the primary rate limit
/// (`x-ratelimit-remaining`/`x-ratelimit-reset`: pause until the reset, and say so) and secondary limits (403 or 429 with
/// `retry-after`: wait that long, then try again), conditional requests (`If-None-Match` with the ETag kept in the source's
/// ``CollectionState``, a 304 answered from what was kept) and resumed runs (a page the interrupted run fetched is not
/// asked for again).
///
/// Errors name the request without query and say what GitHub answered; the token is never part of one (it travels only in
/// the `Authorization` header, which no message shows).
public struct GitHubClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://api.github.com")!

    public let baseURL: URL
    let token: String
    /// Where pages and their ETags are kept; nil keeps nothing (``keeping(_:)`` sets it for a run).
    public private(set) var state: CollectionState?
    /// The HTTP client, the pauses for rate limits (a reset further away than its longest pause fails the source
    /// instead of holding the run) and how often a request is tried again after a secondary limit.
    public let api: RemoteAPI
    public var http: HTTPClient { api.http }

    public init(
        baseURL: URL = GitHubClient.defaultBaseURL, token: String, http: HTTPClient = HTTPClient(), state: CollectionState? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }, notice: @escaping @Sendable (String) -> Void = { _ in },
        longestPause: Duration = .seconds(3600), secondaryLimitAttempts: Int = 3
    ) {
        self.baseURL = baseURL
        self.token = token
        self.state = state
        api = RemoteAPI(http: http, sleep: sleep, now: now, notice: notice, longestPause: longestPause, rateLimitAttempts: secondaryLimitAttempts)
    }

    /// This client keeping its pages in `state` (a run's), unless it keeps them somewhere already.
    public func keeping(_ state: CollectionState?) -> GitHubClient {
        var client = self
        client.state = self.state ?? state
        return client
    }

    /// One page of an answer, decoded: its value and the next page's URL (nil on the last page).
    public struct Page<Value: Sendable>: Sendable {
        public let value: Value
        public let next: URL?
        /// How it was had: asked for, revalidated (GitHub answered 304 to the kept ETag), or taken from the run this one
        /// resumes without asking.
        public let origin: Origin
    }

    public enum Origin: Sendable, Equatable {
        case fetched, notModified, resumed
    }

    /// The URL of `path` (`repos/o/n/pulls`) under the base URL, with `query`.
    public func url(_ path: String, query: [(String, String)] = []) -> URL {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        return components.url!
    }

    /// Fetches one page and decodes it as `Value`, waiting out rate limits; keeps it in ``state``.
    public func page<Value: Codable & Sendable>(_ url: URL, as type: Value.Type) async throws -> Page<Value> {
        let key = CollectionState.key(for: url)
        let kept = try await state?.keptPage(key, as: Value.self)
        if let kept, kept.run == state?.run { return Page(value: kept.value, next: kept.next, origin: .resumed) }
        var request = HTTPRequest(url: url)
        request.headers.set("Accept", "application/vnd.github+json")
        request.headers.set("X-GitHub-Api-Version", "2022-11-28")
        request.headers.set("Authorization", "Bearer \(token)")
        if let etag = kept?.etag { request.headers.set("If-None-Match", etag) }
        var secondaryWaits = 0
        while true {
            let response = try await http.send(request) { $0.isSuccess || [304, 403, 429].contains($0.status) }
            switch response.status {
            case 304 where kept?.etag != nil:
                let kept = kept!
                try await state?.keep(kept.value, key: key, etag: kept.etag, next: kept.next)
                return Page(value: kept.value, next: kept.next, origin: .notModified)
            case 403, 429:
                if let wait = secondaryLimitWait(response) {
                    secondaryWaits += 1
                    guard secondaryWaits <= api.rateLimitAttempts else {
                        throw failure(request, "still limited after \(api.rateLimitAttempts) waits for GitHub's secondary rate limit")
                    }
                    try await pause(wait, request, "GitHub's secondary rate limit (HTTP \(response.status), retry-after)")
                } else if let reset = exhaustedPrimaryLimit(response) {
                    try await pause(reset, request, "GitHub's rate limit (x-ratelimit-remaining 0) until it resets")
                } else {
                    throw GitHubError(
                        "\(request.redactedDescription): HTTP \(response.status): \(Self.message(response.body))", status: response.status)
                }
            case 200..<300:
                let next = WebLink.nextPage(of: response, requested: url)
                let value = try decode(Value.self, from: response.body, request: url)
                try await state?.keep(value, key: key, etag: response.headers["ETag"], next: next)
                // The last request allowed before the reset: wait now, so the next one is not refused.
                if let reset = exhaustedPrimaryLimit(response) {
                    try await pause(reset, request, "GitHub's rate limit (x-ratelimit-remaining 0) until it resets")
                }
                return Page(value: value, next: next, origin: .fetched)
            default:
                throw failure(request, "HTTP \(response.status) without a cached answer to revalidate")
            }
        }
    }

    /// Every page of a list, decoded, until `more` says stop (it sees each page's items, newest first for most lists).
    public func list<Item: Codable & Sendable>(
        _ url: URL, as type: Item.Type, more: ([Item]) -> Bool = { _ in true }
    ) async throws -> [Item] {
        var items: [Item] = []
        var next: URL? = url
        while let current = next {
            let page = try await page(current, as: [Item].self)
            items += page.value
            next = more(page.value) ? page.next : nil
        }
        return items
    }

    /// One JSON object.
    public func object<Value: Codable & Sendable>(_ url: URL, as type: Value.Type) async throws -> Value {
        try await page(url, as: Value.self).value
    }

    /// Decodes an answer, saying briefly what was wrong with it (``RemoteAPI/decode(_:from:request:)``).
    public func decode<Value: Decodable>(_ type: Value.Type, from body: Data, request url: URL) throws -> Value {
        try RemoteAPI.decode(type, from: body, request: HTTPRequest(url: url))
    }

    /// The wait a secondary rate limit asks for on a 403 or 429: `retry-after` seconds; or, when GitHub says it is a
    /// secondary limit without that header and without an exhausted primary limit, a minute, as its documentation asks.
    func secondaryLimitWait(_ response: HTTPResponse) -> Duration? {
        if let value = response.headers["retry-after"], let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return .seconds(seconds)
        }
        let secondary = Self.message(response.body).lowercased().contains("secondary rate limit")
        return secondary && exhaustedPrimaryLimit(response) == nil ? .seconds(60) : nil
    }

    /// The wait until the primary limit resets, when the response says none is left.
    func exhaustedPrimaryLimit(_ response: HTTPResponse) -> Duration? {
        guard response.headers["x-ratelimit-remaining"]?.trimmingCharacters(in: .whitespaces) == "0",
            let reset = response.headers["x-ratelimit-reset"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        return api.wait(until: reset)
    }

    private func pause(_ wait: Duration, _ request: HTTPRequest, _ reason: String) async throws {
        try await api.pause(wait, request, reason)
    }

    private func failure(_ request: HTTPRequest, _ detail: String) -> GitHubError {
        GitHubError("\(request.redactedDescription): \(detail)")
    }

    /// GitHub's `message` from a JSON error body, else the start of the body.
    static func message(_ body: Data) -> String {
        struct Message: Decodable { let message: String }
        if let message = try? JSONDecoder().decode(Message.self, from: body) { return message.message }
        return RemoteAPI.excerpt(body)
    }
}

/// What went wrong talking to GitHub, in words for the run log; never the token.
public typealias GitHubError = RemoteAPIError
