public import Foundation
public import VitalsCore
public import VitalsHTTP

/// Requests one URL once per collection: `probe_success` and `probe_duration_seconds` (see ``HTTPProbeSource``).
///
/// A failed probe is a measurement (`probe_success` 0), never a failed collection.
public struct HTTPProbeCollector: Collector {
    public let source: String
    public let url: URL
    public let interval: TimeSpan
    public let expectedStatuses: Set<Int>
    public let timeout: Duration
    let transport: any HTTPTransport
    /// A monotonic clock's reading; the probe's duration is the difference of two.
    let clock: @Sendable () -> Duration

    public var family: MetricFamily { .stability }
    public var metrics: [String] { [HTTPProbeSource.success, HTTPProbeSource.duration] }

    public init(
        source: String, url: URL, interval: TimeSpan = .minutes(1), expectedStatuses: Set<Int> = [200], timeout: Duration = .seconds(10),
        transport: any HTTPTransport = CurlTransport(),
        clock: @escaping @Sendable () -> Duration = { .nanoseconds(DispatchTime.now().uptimeNanoseconds) }
    ) {
        self.source = source
        self.url = url
        self.interval = interval
        self.expectedStatuses = expectedStatuses
        self.timeout = timeout
        self.transport = transport
        self.clock = clock
    }

    /// The `url` label: the URL without query, fragment and credentials, which may hold secrets.
    public var label: String {
        HTTPRequest(url: url).redactedDescription.split(separator: " ", maxSplits: 1).last.map(String.init) ?? url.absoluteString
    }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let start = clock()
        var succeeded = false
        var elapsed: Duration
        do throws(HTTPError) {
            let response = try await transport.send(HTTPRequest(url: url, timeout: timeout))
            elapsed = clock() - start
            succeeded = expectedStatuses.contains(response.status)
        } catch  where error.code == .timeout {
            elapsed = timeout
        } catch {
            elapsed = clock() - start
        }
        if elapsed > timeout {
            // An answer after the timeout did not come in time.
            (elapsed, succeeded) = (timeout, false)
        }
        let labels = Labels(["url": label])
        return [
            Sample(HTTPProbeSource.success, labels, kind: .gauge, unit: .count, at: request.now, value: succeeded ? 1 : 0),
            Sample(
                HTTPProbeSource.duration, labels, kind: .gauge, unit: .seconds, at: request.now,
                value: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18),
        ]
    }
}
