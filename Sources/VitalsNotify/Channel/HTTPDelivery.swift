import Foundation
import VitalsCore
import VitalsHTTP

/// What the HTTP channels share for one attempt: one request through the transport (no retries: those are the
/// dispatcher's), the common reading of a status, and failures that never carry the channel's secrets.
struct HTTPDelivery: Sendable {
    let transport: any HTTPTransport
    let now: @Sendable () -> Date
    /// Values that must never appear in a failure (tokens, routing keys, secret URLs), whatever the receiver echoes.
    let secrets: [String]

    /// Sends `request` once. An exchange that did not complete is retried later (no connection, a timeout), unless the
    /// request cannot be sent at all (a malformed URL).
    func send(_ request: HTTPRequest) async throws(Undelivered) -> HTTPResponse {
        do {
            return try await transport.send(request)
        } catch {
            let failure = self.failure(status: nil, error.description)
            throw error.code == .invalidRequest ? .reject(failure) : .retry(failure)
        }
    }

    /// Returns a 2xx; fails with a retry for 408, 429 and everything else a later attempt may change (3xx, 5xx), not before
    /// `Retry-After`; fails with a reject for every other 4xx. `explain` says what the receiver said, from its body.
    func accept(_ response: HTTPResponse, _ what: String, explain: (HTTPResponse) -> String = HTTPDelivery.excerpt) throws(Undelivered) {
        guard !response.isSuccess else { return }
        let failure = self.failure(status: response.status, "\(what): HTTP \(response.status)\(Self.suffix(explain(response)))")
        if (400..<500).contains(response.status) && response.status != 408 && response.status != 429 { throw .reject(failure) }
        throw retry(failure, response)
    }

    /// A retry, not before the response's `Retry-After`.
    func retry(_ failure: DeliveryFailure, _ response: HTTPResponse) -> Undelivered {
        .retry(failure, after: response.retryAfter(now: now()).map(TimeSpan.init))
    }

    /// A failure whose message has every secret taken out.
    func failure(status: Int?, _ message: String) -> DeliveryFailure {
        DeliveryFailure(status: status, Self.redacting(secrets, from: message))
    }

    static func redacting(_ secrets: [String], from message: String) -> String {
        secrets.filter { !$0.isEmpty }.reduce(message) { $0.replacingOccurrences(of: $1, with: "…") }
    }

    /// The start of the body, on one line: what most receivers say about an error.
    static func excerpt(_ response: HTTPResponse) -> String {
        String(decoding: response.body.prefix(300), as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
    }

    static func suffix(_ detail: String) -> String { detail.isEmpty ? "" : ": \(detail)" }

    /// The JSON object of a response body, or nil when it is not one.
    static func object(_ body: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    /// `object` as JSON, keys sorted so the same message makes the same bytes.
    static func json(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }
}
