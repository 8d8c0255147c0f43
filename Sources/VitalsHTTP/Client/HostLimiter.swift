public import Foundation

/// At most `limit` requests in flight to one host at a time, however many sources run at once; later requests wait
/// their turn in order. A waiting task that is cancelled leaves the queue.
public actor HostLimiter {
    public let limit: Int
    private var inFlight: [String: Int] = [:]
    private var waiting: [String: [(id: Int, continuation: CheckedContinuation<Void, any Error>)]] = [:]
    private var nextID = 0

    public init(limit: Int = 4) {
        precondition(limit >= 1, "a host limit is at least 1")
        self.limit = limit
    }

    /// The host a request to `url` counts against: its name (without regard to case) and port, the scheme's default when
    /// the URL names none, so two servers on one machine are two hosts.
    public static func key(for url: URL) -> String {
        let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
        return "\(url.host?.lowercased() ?? ""):\(port)"
    }

    /// Runs `body` holding one of `host`'s places.
    public func withPermit<T: Sendable>(for host: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire(host)
        defer { release(host) }
        return try await body()
    }

    private func acquire(_ host: String) async throws {
        if inFlight[host, default: 0] < limit {
            inFlight[host, default: 0] += 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting[host, default: []].append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id, host: host) }
        }
    }

    private func release(_ host: String) {
        if var queue = waiting[host], !queue.isEmpty {
            // The place passes straight to the next in line; the count stays.
            let next = queue.removeFirst()
            waiting[host] = queue
            next.continuation.resume()
        } else {
            inFlight[host, default: 1] -= 1
        }
    }

    private func cancelWaiter(_ id: Int, host: String) {
        guard let index = waiting[host]?.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiting[host]!.remove(at: index)
        waiter.continuation.resume(throwing: CancellationError())
    }
}
