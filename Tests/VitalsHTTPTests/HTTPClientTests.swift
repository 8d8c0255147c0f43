import Foundation
import Synchronization
import Testing
import VitalsHTTP
import VitalsTestSupport

@Suite("Retries, Retry-After and the per-host limit")
struct HTTPClientTests {
    /// Records the delays the client asks for instead of sleeping.
    final class Sleeps: Sendable {
        let recorded = Mutex<[Duration]>([])
        var values: [Duration] { recorded.withLock { $0 } }
        func sleep(_ delay: Duration) { recorded.withLock { $0.append(delay) } }
    }

    static func client(_ sleeps: Sleeps, attempts: Int = 4, now: Date = Date()) -> HTTPClient {
        HTTPClient(
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: .seconds(1), maxDelay: .seconds(60), jitter: { $0 }),
            sleep: { sleeps.sleep($0) }, now: { now })
    }

    @Test("5xx is retried with exponential backoff until it succeeds")
    func backoff() async throws {
        let count = Mutex(0)
        let server = try LoopbackHTTPServer { _ in
            let attempt = count.withLock { value in
                value += 1
                return value
            }
            return attempt < 4 ? .init(status: 502, text: "bad gateway") : .init(text: "ok")
        }
        let sleeps = Sleeps()
        let response = try await Self.client(sleeps).send(HTTPRequest(url: server.baseURL))
        #expect(String(decoding: response.body, as: UTF8.self) == "ok")
        #expect(server.requests.count == 4)
        #expect(sleeps.values == [.seconds(1), .seconds(2), .seconds(4)])
    }

    @Test("Retry-After in seconds or as a date is waited, on 429 and 503")
    func retryAfter() async throws {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        let date = "Mon, 24 Nov 2025 16:00:30 GMT"  // 1_764_000_030
        let count = Mutex(0)
        let server = try LoopbackHTTPServer { _ in
            let attempt = count.withLock { value in
                value += 1
                return value
            }
            switch attempt {
            case 1: return .init(status: 429, headers: [("Retry-After", "7")], text: "slow down")
            case 2: return .init(status: 503, headers: [("Retry-After", date)], text: "maintenance")
            default: return .init(text: "ok")
            }
        }
        let sleeps = Sleeps()
        _ = try await Self.client(sleeps, now: now).send(HTTPRequest(url: server.baseURL))
        #expect(sleeps.values == [.seconds(7), .seconds(30)])
    }

    @Test("a 4xx fails at once with the start of the body; retries run out with the last answer")
    func failures() async throws {
        let client = try LoopbackHTTPServer { request in
            request.path == "/bad" ? .init(status: 400, text: "{\"error\":\"invalid_blocks\"}") : .init(status: 500, text: "boom")
        }
        let sleeps = Sleeps()
        do {
            _ = try await Self.client(sleeps).send(HTTPRequest(url: client.baseURL.appendingPathComponent("bad")))
            Issue.record("expected a failure")
        } catch {
            #expect(error.code == .status)
            #expect(error.status == 400)
            #expect(error.description == "GET \(client.baseURL.absoluteString)/bad: HTTP 400: {\"error\":\"invalid_blocks\"}")
        }
        #expect(sleeps.values.isEmpty)
        do {
            _ = try await Self.client(sleeps, attempts: 3).send(HTTPRequest(url: client.baseURL.appendingPathComponent("down")))
            Issue.record("expected a failure")
        } catch {
            #expect(error.detail == "HTTP 500 after 3 attempts: boom")
        }
        #expect(client.requests.count == 4)
    }

    @Test("a Retry-After longer than the longest delay fails instead of waiting")
    func retryAfterTooLong() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 429, headers: [("Retry-After", "3600")], text: "") }
        let sleeps = Sleeps()
        do {
            _ = try await Self.client(sleeps).send(HTTPRequest(url: server.baseURL))
            Issue.record("expected a failure")
        } catch {
            #expect(error.detail == "HTTP 429; the server asks to wait 3600 s, longer than 60 s")
        }
        #expect(sleeps.values.isEmpty)
    }

    @Test("never more requests in flight to one host than the limit", arguments: [1, 3])
    func hostLimit(limit: Int) async throws {
        let server = try LoopbackHTTPServer { _ in .init(text: "ok", delay: .milliseconds(30)) }
        let client = HTTPClient(retry: .never, limiter: HostLimiter(limit: limit))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<12 { group.addTask { _ = try await client.send(HTTPRequest(url: server.baseURL)) } }
            try await group.waitForAll()
        }
        #expect(server.requests.count == 12)
        #expect(server.mostConcurrentRequests <= limit)
        #expect(server.mostConcurrentRequests == limit)
    }

    @Test("a host is its name and port: two servers on one machine are limited apart", arguments: [
        ("https://api.github.com/repos/o/n", "api.github.com:443"), ("http://API.example.com/x", "api.example.com:80"),
        ("http://127.0.0.1:8080/a", "127.0.0.1:8080"), ("https://sentry.example.com:8443/api/0/", "sentry.example.com:8443"),
    ])
    func hostKey(url: String, key: String) throws {
        #expect(HostLimiter.key(for: try #require(URL(string: url))) == key)
    }
}
