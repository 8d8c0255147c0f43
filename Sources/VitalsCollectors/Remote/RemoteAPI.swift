public import Foundation
public import VitalsHTTP

/// What the clients of remote APIs share: the HTTP client, pauses for rate limits (an injected sleep and clock, a notice
/// that says so, a longest pause beyond which the source fails instead of holding the run), and reading JSON answers with
/// messages that say what was wrong (not JSON, or another shape) without repeating anything secret.
public struct RemoteAPI: Sendable {
    public let http: HTTPClient
    /// Waits out rate limits; tests pass one that records the wait instead of sleeping.
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date
    /// Told every pause for a rate limit, in words for the log.
    let notice: @Sendable (String) -> Void
    /// The longest pause for a rate limit.
    public let longestPause: Duration
    /// How often a request the API refused for its rate limit is sent again, after a pause each time.
    public let rateLimitAttempts: Int

    public init(
        http: HTTPClient = HTTPClient(), sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }, notice: @escaping @Sendable (String) -> Void = { _ in },
        longestPause: Duration = .seconds(3600), rateLimitAttempts: Int = 3
    ) {
        self.http = http
        self.sleep = sleep
        self.now = now
        self.notice = notice
        self.longestPause = longestPause
        self.rateLimitAttempts = rateLimitAttempts
    }

    /// Waits `wait` because of `reason`, saying so first; a wait longer than ``longestPause`` fails the request instead.
    public func pause(_ wait: Duration, _ request: HTTPRequest, _ reason: String) async throws {
        guard wait <= longestPause else {
            throw RemoteAPIError(
                "\(request.redactedDescription): \(reason) asks to wait \(Self.seconds(wait)) s, longer than \(Self.seconds(longestPause)) s")
        }
        notice("\(request.redactedDescription): pausing \(Self.seconds(wait)) s for \(reason)")
        try await sleep(wait)
    }

    /// The wait until `instant` (seconds since the epoch), none when it has passed.
    public func wait(until instant: Double) -> Duration {
        .milliseconds(Int64((max(0, instant - now().timeIntervalSince1970) * 1000).rounded(.up)))
    }

    /// `path` under `base`, with `query`.
    public static func url(_ base: URL, _ path: String, query: [(String, String)] = []) -> URL {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // `+` in a query item means a space to most servers' form parsers; URLComponents leaves it as it is.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.url!
    }

    /// Sends `request`; a 4xx answer other than 429 (which ``HTTPClient`` retries) fails at once with the status and
    /// `message(body)`, the API's own words for it.
    public func send(_ request: HTTPRequest, message: (Data) -> String) async throws -> HTTPResponse {
        let response = try await http.send(request) { $0.isSuccess || ((400..<500).contains($0.status) && $0.status != 429) }
        guard response.isSuccess else {
            throw RemoteAPIError("\(request.redactedDescription): HTTP \(response.status): \(message(response.body))", status: response.status)
        }
        return response
    }

    /// Decodes an answer, saying briefly what was wrong with it: not JSON (an HTML page, a cut-off body) or another shape.
    public static func decode<Value: Decodable>(_ type: Value.Type, from body: Data, request: HTTPRequest) throws(RemoteAPIError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch let error as DecodingError {
            let request = request.redactedDescription
            switch error {
            case .dataCorrupted(let context) where context.codingPath.isEmpty:
                throw RemoteAPIError("\(request): the answer is not JSON (\(body.count) bytes starting \(excerpt(body)))")
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
                throw RemoteAPIError("\(request): unexpected JSON at \(path(context.codingPath)): \(context.debugDescription)")
            @unknown default:
                throw RemoteAPIError("\(request): unexpected JSON: \(error)")
            }
        } catch {
            throw RemoteAPIError("\(request.redactedDescription): unexpected JSON: \(error)")
        }
    }

    /// Whole seconds, rounded up.
    static func seconds(_ duration: Duration) -> Int64 { duration.components.seconds + (duration.components.attoseconds > 0 ? 1 : 0) }

    /// The start of a body, on one line, for a message.
    static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "(empty)" : "'\(text)'"
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "the top" : String(text.drop { $0 == "." })
    }
}

/// What went wrong talking to a remote API, in words for the run log; never the token.
public struct RemoteAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    /// The HTTP status the API refused the request with, if it did.
    public let status: Int?

    public init(_ description: String, status: Int? = nil) {
        self.description = description
        self.status = status
    }
}

/// A count as JSON APIs send it: a number, or a string holding one (Sentry sends some counts as strings).
public struct FlexibleNumber: Codable, Sendable, Equatable {
    public let value: Double

    public init(_ value: Double) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
        } else {
            let text = try container.decode(String.self)
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number, found '\(text.prefix(40))'")
            }
            value = number
        }
    }

    /// As a number, whichever way it came.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
