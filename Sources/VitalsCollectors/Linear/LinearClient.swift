public import Foundation
public import VitalsCore
public import VitalsHTTP

/// Linear's GraphQL API: a personal API key goes bare in `Authorization` (only OAuth tokens take `Bearer`, as Linear's
/// SDK does it); lists are read page by page with `pageInfo { hasNextPage endCursor }`; a `RATELIMITED` error (in
/// `errors[].extensions.code`, or `extensions.type` `ratelimited`, with HTTP 400 or 200) waits until
/// `X-RateLimit-Requests-Reset` (epoch milliseconds; else a minute), says so, and asks again. Other GraphQL errors fail
/// with Linear's messages; the key is never in one. Pages of a connection are kept in the run's ``CollectionState`` by
/// their variables (the `after` cursor included), so a resumed run does not ask for them again.
public struct LinearClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://api.linear.app/graphql")!

    public let baseURL: URL
    let token: String
    public let api: RemoteAPI
    /// Where pages are kept; nil keeps nothing.
    public private(set) var state: CollectionState?

    public init(baseURL: URL = LinearClient.defaultBaseURL, token: String, api: RemoteAPI = RemoteAPI(), state: CollectionState? = nil) {
        self.baseURL = baseURL
        self.token = token
        self.api = api
        self.state = state
    }

    /// This client keeping its pages in `state` (a run's), unless it keeps them somewhere already.
    public func keeping(_ state: CollectionState?) -> LinearClient {
        var client = self
        client.state = self.state ?? state
        return client
    }

    /// The `data` of `query` with `variables` (a JSON object).
    public func query<Value: Decodable>(_ query: String, variables: [String: any Sendable] = [:], as type: Value.Type) async throws -> Value {
        var request = HTTPRequest(method: "POST", url: baseURL)
        request.headers.set("Content-Type", "application/json")
        request.headers.set("Authorization", token)
        request.body = try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables], options: .sortedKeys)
        var refusals = 0
        while true {
            let response = try await api.http.send(request) { $0.isSuccess || (400..<500).contains($0.status) }
            let answer = try? JSONDecoder().decode(Answer<Value>.self, from: response.body)
            let errors = answer?.errors ?? []
            if errors.contains(where: \.isRateLimited) || response.status == 429 {
                refusals += 1
                guard refusals <= api.rateLimitAttempts else {
                    throw RemoteAPIError(
                        "\(request.redactedDescription): still RATELIMITED after \(api.rateLimitAttempts) waits for Linear's rate limit",
                        status: response.status)
                }
                try await api.pause(reset(response) ?? .seconds(60), request, "Linear's rate limit (RATELIMITED)")
                continue
            }
            guard errors.isEmpty else {
                throw RemoteAPIError(
                    "\(request.redactedDescription): HTTP \(response.status): \(errors.map(\.description).joined(separator: "; "))",
                    status: response.status)
            }
            guard response.isSuccess else {
                throw RemoteAPIError(
                    "\(request.redactedDescription): HTTP \(response.status): \(RemoteAPI.excerpt(response.body))", status: response.status)
            }
            // Not an answer of this shape: say what is wrong with it.
            let decoded = try RemoteAPI.decode(Answer<Value>.self, from: response.body, request: request)
            guard let data = decoded.data else { throw RemoteAPIError("\(request.redactedDescription): an answer without data or errors") }
            return data
        }
    }

    /// Every node of the connection `field` that `query` selects (with `$after` as its cursor), page by page.
    public func nodes<Node: Codable & Sendable>(
        _ field: String, query: String, variables: [String: any Sendable], as type: Node.Type
    ) async throws -> [Node] {
        var nodes: [Node] = []
        var after: String?
        repeat {
            var page = variables
            if let after { page["after"] = after }
            let key = CollectionState.key(
                for: "\(field) " + String(decoding: try JSONSerialization.data(withJSONObject: page, options: .sortedKeys), as: UTF8.self))
            let connection: Connection<Node>
            if let kept = try await state?.resumedPage(key, as: Connection<Node>.self) {
                connection = kept.value
            } else {
                let data = try await self.query(query, variables: page, as: [String: Connection<Node>].self)
                guard let answer = data[field] else { throw RemoteAPIError("POST \(baseURL.absoluteString): the answer has no '\(field)'") }
                try await state?.keep(answer, key: key, etag: nil, next: nil)
                connection = answer
            }
            nodes += connection.nodes
            after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : nil
        } while after != nil
        return nodes
    }

    func reset(_ response: HTTPResponse) -> Duration? {
        let reset = response.headers["X-RateLimit-Requests-Reset"] ?? response.headers["X-RateLimit-Complexity-Reset"]
        return reset.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }.map { api.wait(until: $0 / 1000) }
    }

    struct Answer<Value: Decodable>: Decodable {
        let data: Value?
        let errors: [GraphQLError]?
    }

    struct GraphQLError: Decodable, CustomStringConvertible {
        let message: String
        let extensions: Extensions?

        struct Extensions: Decodable {
            let code: String?
            let type: String?
        }

        var isRateLimited: Bool { extensions?.code == "RATELIMITED" || extensions?.type == "ratelimited" }
        var description: String { extensions?.code.map { "\(message) (\($0))" } ?? message }
    }

    /// A GraphQL connection: one page of nodes, and where the next starts.
    public struct Connection<Node: Codable & Sendable>: Codable, Sendable {
        public let nodes: [Node]
        public let pageInfo: PageInfo
    }

    public struct PageInfo: Codable, Sendable {
        public let hasNextPage: Bool
        public let endCursor: String?
    }
}

/// The parts of Linear's schema vitals reads, named as the published schema names them.
public enum LinearRecords {
    /// An `Issue`: when it was started and completed, and its `estimate` (points).
    public struct Issue: Codable, Sendable, Equatable {
        public let id: String
        public let estimate: Double?
        public let startedAt: Timestamp?
        public let completedAt: Timestamp?

        public init(id: String, estimate: Double?, startedAt: Timestamp?, completedAt: Timestamp?) {
            self.id = id
            self.estimate = estimate
            self.startedAt = startedAt
            self.completedAt = completedAt
        }
    }

    /// A `Cycle` with its scope histories: one value per day of the cycle, the last the current one.
    public struct Cycle: Codable, Sendable, Equatable {
        public let id: String
        public let number: Double
        public let isActive: Bool
        public let scopeHistory: [Double]
        public let completedScopeHistory: [Double]

        public init(id: String, number: Double, isActive: Bool, scopeHistory: [Double], completedScopeHistory: [Double]) {
            self.id = id
            self.number = number
            self.isActive = isActive
            self.scopeHistory = scopeHistory
            self.completedScopeHistory = completedScopeHistory
        }
    }

    /// `viewer { id }`.
    public struct Viewer: Decodable, Sendable {
        public struct User: Decodable, Sendable { public let id: String }
        public let viewer: User
    }
}
