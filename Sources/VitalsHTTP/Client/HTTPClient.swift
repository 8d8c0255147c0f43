public import Foundation

/// Sends requests through a transport with what every remote source and channel needs: retries with backoff on
/// network errors, 5xx and 429 (waiting what `Retry-After` asks), and a per-host concurrency limit.
///
/// Nothing here reads the clock or sleeps by itself: `sleep` and `now` are injected, so tests run retries instantly.
public struct HTTPClient: Sendable {
    public let transport: any HTTPTransport
    public let retry: RetryPolicy
    public let limiter: HostLimiter
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date

    public init(
        transport: any HTTPTransport = CurlTransport(), retry: RetryPolicy = RetryPolicy(), limiter: HostLimiter = HostLimiter(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.transport = transport
        self.retry = retry
        self.limiter = limiter
        self.sleep = sleep
        self.now = now
    }

    /// Sends `request`, retrying what may succeed later; returns the first response `accept` takes (by default any
    /// 2xx). A response it does not take, after the retries, fails with ``HTTPError/Code/status`` and the start of the body.
    public func send(_ request: HTTPRequest, accept: @Sendable (HTTPResponse) -> Bool = { $0.isSuccess }) async throws(HTTPError) -> HTTPResponse {
        let host = HostLimiter.key(for: request.url)
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<HTTPResponse, HTTPError>
            do {
                outcome = .success(try await limiter.withPermit(for: host) { try await transport.send(request) })
            } catch let error as HTTPError {
                outcome = .failure(error)
            } catch {
                throw HTTPError(.cancelled, request: request.redactedDescription, "cancelled")
            }
            let failure: HTTPError
            var wait: Duration?
            switch outcome {
            case .success(let response) where accept(response):
                return response
            case .success(let response):
                failure = Self.statusError(response, request: request, attempts: attempt)
                wait = retryAfter(response)
            case .failure(let error):
                failure = error
            }
            guard failure.isTransient, attempt < retry.maxAttempts else { throw failure }
            let delay = wait ?? retry.backoff(after: attempt)
            guard delay <= retry.maxDelay else {
                throw HTTPError(
                    failure.code, request: failure.request, "\(failure.detail); the server asks to wait \(delay.seconds) s, longer than \(retry.maxDelay.seconds) s",
                    status: failure.status)
            }
            do {
                try await sleep(delay)
            } catch {
                throw HTTPError(.cancelled, request: request.redactedDescription, "cancelled while waiting to retry")
            }
        }
    }

    /// How long the response asks to wait before retrying (``HTTPResponse/retryAfter(now:)``).
    public func retryAfter(_ response: HTTPResponse) -> Duration? { response.retryAfter(now: now()) }

    static func statusError(_ response: HTTPResponse, request: HTTPRequest, attempts: Int) -> HTTPError {
        let text = String(decoding: response.body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let excerpt = text.isEmpty ? "" : ": \(text.replacingOccurrences(of: "\n", with: " "))"
        let tries = attempts == 1 ? "" : " after \(attempts) attempts"
        return HTTPError(.status, request: request.redactedDescription, "HTTP \(response.status)\(tries)\(excerpt)", status: response.status)
    }
}
