public import Foundation

/// A stand-in for a Slack incoming webhook on 127.0.0.1, answering as Slack documents: `200 ok`, or a status with Slack's
/// error string as a plain-text body. Which answer a request gets is the test's choice; every body received is kept.
public final class SlackWebhookServer: Sendable {
    public enum Answer: Sendable {
        case ok
        /// 400 `invalid_blocks`.
        case invalidBlocks
        /// 400 `invalid_payload`.
        case invalidPayload
        /// 404 `channel_not_found`.
        case channelNotFound
        /// 410 `channel_is_archived`.
        case channelIsArchived
        /// 429 with `Retry-After` in seconds.
        case rateLimited(retryAfter: Int)
        /// 500 `rollup_error`.
        case serverError
        /// `200 ok`, after a wait.
        case slow(Duration)
        /// No answer: the request counts as received, the connection stays open until the client gives up.
        case none
    }

    public let server: LoopbackHTTPServer
    private let accepted: AcceptedBodies
    /// The path of the webhook URL: what Slack keeps secret (a test checks it never shows).
    public static let secretPath = "/services/T0000/B0000/XXXXsecretXXXX"

    /// `answer` gets the number of the request (0 for the first) and its body.
    public init(_ answer: @escaping @Sendable (Int, Data) -> Answer = { _, _ in .ok }) throws {
        let accepted = AcceptedBodies()
        self.accepted = accepted
        server = try LoopbackHTTPServer { request in
            let index = accepted.count()
            guard request.path == Self.secretPath else { return .init(status: 404, text: "no_service") }
            let reply = answer(index, request.body)
            switch reply {
            case .ok, .slow: accepted.append(request.body)
            default: break
            }
            switch reply {
            case .ok: return .init(status: 200, headers: [("Content-Type", "text/plain")], text: "ok")
            case .invalidBlocks: return .init(status: 400, text: "invalid_blocks")
            case .invalidPayload: return .init(status: 400, text: "invalid_payload")
            case .channelNotFound: return .init(status: 404, text: "channel_not_found")
            case .channelIsArchived: return .init(status: 410, text: "channel_is_archived")
            case .rateLimited(let seconds): return .init(status: 429, headers: [("Retry-After", "\(seconds)")], text: "rate_limited")
            case .serverError: return .init(status: 500, text: "rollup_error")
            case .slow(let delay): return .init(status: 200, text: "ok", delay: delay)
            case .none: return nil
            }
        }
    }

    /// The webhook URL to put in the environment variable a channel's `webhook_url_env` names.
    public var webhookURL: URL { server.baseURL.appendingPathComponent(String(Self.secretPath.dropFirst())) }

    /// Every request body received, in order of arrival.
    public var bodies: [Data] { server.requests.map(\.body) }

    /// The bodies answered `ok`, in order of arrival: what Slack would have posted.
    public var posted: [Data] { accepted.bodies }

    /// The `text` field of each body answered `ok`, in order.
    public var postedTexts: [String] {
        posted.compactMap { body in (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["text"] as? String }
    }

    public func stop() { server.stop() }
}

/// The requests counted and the bodies answered `ok`, shared by the server's threads.
private final class AcceptedBodies: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var accepted: [Data] = []

    /// The number of this request (0 for the first).
    func count() -> Int {
        lock.withLock {
            defer { requests += 1 }
            return requests
        }
    }

    func append(_ body: Data) { lock.withLock { accepted.append(body) } }

    var bodies: [Data] { lock.withLock { accepted } }
}
