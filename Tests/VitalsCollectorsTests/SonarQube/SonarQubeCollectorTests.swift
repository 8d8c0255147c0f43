import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsHTTP
import VitalsTestSupport

/// The sonarqube source against a fake SonarQube on 127.0.0.1.
@Suite struct SonarQubeCollectorTests {
    static let token = "squ_FAKEtoken0123456789abcdefABCDEF01234567"
    let now = RFC3339.parse("2026-03-07T12:00:00Z")!

    static func client(_ baseURL: URL, transport: CurlTransport = CurlTransport()) -> SonarQubeClient {
        let http = HTTPClient(transport: transport, retry: RetryPolicy(maxAttempts: 2, jitter: { $0 }), sleep: { _ in })
        return SonarQubeClient(baseURL: baseURL, token: token, api: RemoteAPI(http: http, sleep: { _ in }))
    }

    @Test func collectsMeasuresAndTheQualityGateAsDeclared() async throws {
        let sonar = try FakeSonarQube.make()
        let collector = SonarQubeCollector(project: "shop", client: Self.client(sonar.baseURL))

        let samples = SeriesIdentity.labelled(try await collector.collect(CollectionRequest(now: now, timeZone: .gmt)), source: "sonarqube")

        func value(_ name: String) -> Double? { samples.first { $0.series.key.name == name }?.value }
        let expected: [(String, Double)] = [
            ("sonar_coverage_ratio", 0.815), ("sonar_duplicated_lines_ratio", 0.032), ("sonar_debt_ratio", 0.015), ("sonar_bugs", 4),
            ("sonar_vulnerabilities", 0), ("sonar_code_smells", 120), ("sonar_security_hotspots", 2), ("sonar_reliability_rating", 3),
            ("sonar_security_rating", 1), ("sonar_maintainability_rating", 2), ("sonar_quality_gate_ok", 0),
        ]
        for (name, wanted) in expected {
            let found = try #require(value(name), "\(name)")
            #expect(abs(found - wanted) < 1e-12, "\(name): \(found)")
        }
        let conditions = samples.filter { $0.series.key.name == "sonar_quality_gate_condition_ok" }
        #expect(conditions.map { $0.series.key.labels["metric"] ?? "" } == ["new_coverage", "new_duplicated_lines_density"])
        #expect(conditions.map(\.value) == [0, 1])
        #expect(samples.allSatisfy { $0.timestamp == now && $0.series.key.labels["project"] == "shop" })
        #expect(DeclaredSamples.mismatches(samples, of: SonarQubeSource.definition) == [])
        #expect(sonar.requests.allSatisfy { $0.header("Authorization") == "Bearer \(Self.token)" })
        let metricKeys = FakeAPI.query(sonar.requests[0]).first { $0.name == "metricKeys" }?.value
        #expect(metricKeys == FakeSonarQube.measures.map(\.0).joined(separator: ","))
    }

    /// A project without coverage (no tests run in its analysis) writes no coverage sample rather than 0.
    @Test func aMeasureSonarQubeDoesNotHaveWritesNoSample() async throws {
        let sonar = try FakeSonarQube.make(measures: FakeSonarQube.measures.filter { $0.0 != "coverage" })

        let samples = try await SonarQubeCollector(project: "shop", client: Self.client(sonar.baseURL)).collect(
            CollectionRequest(now: now, timeZone: .gmt))

        #expect(!samples.contains { $0.series.key.name == "sonar_coverage_ratio" })
        #expect(samples.contains { $0.series.key.name == "sonar_bugs" })
    }

    /// An unknown project fails with SonarQube's own message.
    @Test func anUnknownProjectFailsWithSonarQubesMessage() async throws {
        let sonar = try FakeSonarQube.make()

        await #expect {
            try await SonarQubeCollector(project: "other", client: Self.client(sonar.baseURL)).collect(CollectionRequest(now: now, timeZone: .gmt))
        } throws: {
            "\($0)".hasSuffix("/api/measures/component: HTTP 404: Component key 'other' not found")
        }
    }
}
