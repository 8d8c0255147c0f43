import CoreMetrics
import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsServer
import VitalsStore

/// `GET /metrics` without promtool: one HELP and TYPE per family, the type the kind calls for, each series' newest sample
/// with its own timestamp.
@Suite struct MetricsExpositionTests {
    let fixture: ServerFixture

    init() async throws {
        fixture = try await ServerFixture()
    }

    @Test func newestSampleOfEachSeriesTypedByItsKind() async throws {
        Counter(label: "vitals_job_runs_total", dimensions: [("job", "collect git"), ("status", "failed")], factory: fixture.metrics).increment()
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/metrics")
            #expect(response.status == 200)
            let lines = response.body.split(separator: "\n").map(String.init)
            for family in ["build_duration_seconds", "git_commits", "http_requests_total", "vitals_source_up", "vitals_job_runs_total"] {
                #expect(lines.filter { $0.hasPrefix("# TYPE \(family) ") }.count == 1, "\(family)")
                #expect(lines.filter { $0.hasPrefix("# HELP \(family) ") }.count == 1, "\(family)")
            }
            let end = ServerFixture.now.milliseconds
            #expect(lines.contains("# TYPE build_duration_seconds gauge"))
            #expect(lines.contains("build_duration_seconds{branch=\"main\",repo=\"api\"} 40 \(end)"))
            #expect(lines.contains("build_duration_seconds{branch=\"main\",repo=\"web\"} 25 \(end)"))
            #expect(lines.contains("# TYPE http_requests_total counter"))
            #expect(lines.contains("http_requests_total{code=\"200\"} 120 \(end)"))
            #expect(lines.contains("# TYPE git_commits untyped"))
            #expect(lines.contains("git_commits{repo=\"api\"} 4 \(end)"))
            #expect(lines.contains("vitals_job_runs_total{job=\"collect git\",status=\"failed\"} 1"))
            #expect(lines.contains("vitals_store_series 5.0"))
            #expect(lines.contains { $0.hasPrefix("vitals_store_size_bytes ") && !$0.hasSuffix(" 0") })
        }
    }

    /// The one-query read agrees with asking each series for its last sample.
    @Test func latestSamplesAgreeWithEachSeriesLastSample() async throws {
        let latest = try await fixture.store.latestSamples()
        let series = try await fixture.store.series(named: nil)
        #expect(latest.map(\.series) == series)
        for (descriptor, sample) in latest {
            #expect(try await fixture.store.lastSample(of: descriptor.key, before: Timestamp(milliseconds: Int64.max)) == sample)
        }
    }
}
