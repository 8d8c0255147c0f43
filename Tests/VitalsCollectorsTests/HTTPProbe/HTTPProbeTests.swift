import Foundation
import Synchronization
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

/// The `http_probe` source over real loopback HTTP: a failed probe is a 0 sample, never a failed collection.
@Suite struct HTTPProbeTests {
    let request = CollectionRequest(now: RFC3339.parse("2026-03-02T12:00:00Z")!, timeZone: .gmt)

    /// A clock that moves 250 ms at every reading, so a completed probe measures exactly 0.25 s.
    static func steppingClock() -> @Sendable () -> Duration {
        let readings = Mutex(0)
        return {
            readings.withLock {
                $0 += 1
                return .milliseconds(250 * $0)
            }
        }
    }

    func probe(_ url: URL, expect: Set<Int> = [200], timeout: Duration = .seconds(5)) async throws -> (success: Double, seconds: Double) {
        let collector = HTTPProbeCollector(source: "site", url: url, expectedStatuses: expect, timeout: timeout, clock: Self.steppingClock())
        let samples = SeriesIdentity.labelled(try await collector.collect(request), source: "site")
        #expect(DeclaredSamples.mismatches(samples, of: HTTPProbeSource.definition) == [])
        let success = try #require(samples.first { $0.series.key.name == "probe_success" })
        let duration = try #require(samples.first { $0.series.key.name == "probe_duration_seconds" })
        #expect(success.timestamp == request.now && duration.timestamp == request.now)
        return (success.value, duration.value)
    }

    @Test(arguments: [(200, Set([200]), 1.0), (503, Set([200]), 0.0), (204, Set([200]), 0.0), (503, Set([200, 503]), 1.0)])
    func theStatusDecidesSuccess(status: Int, expect: Set<Int>, success: Double) async throws {
        let server = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: status, text: "ok") }
        defer { server.stop() }
        let result = try await probe(server.baseURL.appendingPathComponent("health"), expect: expect)
        #expect(result.success == success)
        #expect(result.seconds == 0.25)
        #expect(server.requests.map(\.path) == ["/health"])
    }

    @Test func aServerThatNeverAnswersTimesOutAtTheTimeout() async throws {
        let server = try LoopbackHTTPServer { _ in nil }
        defer { server.stop() }
        let result = try await probe(server.baseURL, timeout: .milliseconds(300))
        #expect(result.success == 0)
        #expect(result.seconds == 0.3)
    }

    @Test func aRefusedConnectionIsAFailedProbe() async throws {
        let server = try LoopbackHTTPServer { _ in nil }
        let url = server.baseURL
        server.stop()
        let result = try await probe(url)
        #expect(result.success == 0)
        #expect(result.seconds == 0.25)
    }

    @Test func theURLLabelHasNoQueryNorCredentials() {
        let collector = HTTPProbeCollector(source: "site", url: URL(string: "https://ana:hunter2@shop.example.com/health?token=s3cret#top")!)
        #expect(collector.label == "https://shop.example.com/health")
    }

    static let types = SourceRegistry.types

    @Test func aProbeLoadsWithItsDefaultsAndNeedsNoToken() throws {
        let config = try ConfigLoader.parse(
            "sources:\n  - type: http_probe\n    name: shop\n    url: https://shop.example.com/health?key=1\n    expect_status: [200, 204]\n",
            file: "vitals.yml", environment: [:], sourceTypes: Self.types)
        let source = try #require(config.sources.first { $0.name == "shop" })
        let collector = try #require(SourceRegistry.collector(for: source, root: URL(fileURLWithPath: "/")) as? HTTPProbeCollector)
        #expect(collector.expectedStatuses == [200, 204])
        #expect(collector.timeout == .seconds(10))
        #expect(collector.interval == .minutes(1))
        #expect(source.tokenEnv == nil)
    }

    @Test(
        arguments: [
            (
                "    url: ftp://shop.example.com/?key=hunter2\n",
                "vitals.yml:3:10: sources[0].url: expected an http or https URL such as https://shop.example.com/health (the value is not repeated here)"
            ),
            (
                "    url: not a url hunter2\n",
                "vitals.yml:3:10: sources[0].url: expected an http or https URL such as https://shop.example.com/health (the value is not repeated here)"
            ),
            (
                "    url: https://shop.example.com\n    expect_status: [200, 700]\n",
                "vitals.yml:4:26: sources[0].expect_status[1]: expected an HTTP status code (100-599), found '700'"
            ),
            ("    url: https://shop.example.com\n    timeout: soon\n", nil),
            ("    expect_status: 200\n", "vitals.yml:2:5: sources[0]: missing required key 'url' for a source of type http_probe"),
        ] as [(String, String?)])
    func badOptionsAreRejectedWithTheirPosition(options: String, message: String?) {
        do {
            _ = try ConfigLoader.parse("sources:\n  - type: http_probe\n" + options, file: "vitals.yml", environment: [:], sourceTypes: Self.types)
            Issue.record("accepted \(options)")
        } catch {
            if let message {
                #expect(error.description == message)
            } else {
                #expect(error.description.hasPrefix("vitals.yml:4:14: sources[0].timeout:"))
            }
            #expect(!error.description.contains("hunter2"))
        }
    }
}
