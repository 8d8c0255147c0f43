import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsStore

@Suite struct ReportSchemaTests {
    enum Shape: String, CaseIterable {
        case emptyStore
        case fullData
        case everySourceFailed
        case everySourceSkipped
        /// The full data and a gauge with values that are not finite (as a Prometheus query dividing by zero gives them; the
        /// report shows only the catalogue's metrics, so a coverage ratio stands in).
        case nonFiniteValues
    }

    func render(_ shape: Shape) async throws -> String {
        let fixture = try await ReportFixture(.memory)
        switch shape {
        case .emptyStore:
            break
        case .fullData:
            try await fixture.writeFullData()
        case .everySourceFailed:
            try await fixture.writeFullData()
            for source in ReportFixture.sources {
                try await fixture.record(source.name, at: ReportFixture.now, error: "\(source.name) could not be read")
            }
        case .nonFiniteValues:
            try await fixture.writeFullData()
            let labels: Labels = ["repo": "infinite"]
            try await fixture.store.write(
                [(19, Double.infinity), (20, 0.25), (22, -.infinity), (24, .infinity)].map { day, value in
                    Sample("coverage_lines_ratio", labels, kind: .gauge, unit: .ratio, at: ReportFixture.november(day, hours: 9), value: value)
                })
        case .everySourceSkipped:
            for source in ReportFixture.sources {
                try await fixture.record(source.name, at: ReportFixture.now, error: "no input: no \(source.name) file found", status: .skipped)
            }
        }
        let report = try await ReportBuilder.build(
            store: fixture.store, period: ReportFixture.period, now: ReportFixture.now, timeZone: ReportFixture.berlin,
            sources: ReportFixture.sources)
        return try JSONRenderer().render(report)
    }

    @Test(arguments: Shape.allCases)
    func renderedReportsMatchTheSchema(shape: Shape) async throws {
        #expect(try await SchemaValidator.errors(in: try render(shape)) == [])
    }

    /// A value that is not finite is the string Prometheus writes for it, where the report used to fail altogether.
    @Test func valuesThatAreNotFiniteAreWrittenAsPrometheusWritesThem() async throws {
        let json = try await render(.nonFiniteValues)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = (report["sections"] as? [[String: Any]] ?? []).flatMap { $0["rows"] as? [[String: Any]] ?? [] }
        let row = try #require(rows.first { ($0["labels"] as? [String: String])?["repo"] == "infinite" }, "\(json)")
        #expect(row["value"] as? String == "+Inf", "\(row)")
        let daily = try #require(row["daily"] as? [Any])
        #expect(daily.compactMap { $0 as? String } == ["+Inf", "-Inf", "+Inf"], "\(daily)")
        #expect(daily.compactMap { $0 as? Double } == [0.25], "\(daily)")
    }

    @Test func theSchemaRejectsBrokenReports() async throws {
        let json = try await render(.fullData)
        let broken = [
            json.replacingOccurrences(of: "\"schema_version\" : 4", with: "\"schema_version\" : 1"),
            json.replacingOccurrences(of: "\"status\" : \"stale\"", with: "\"status\" : \"old\""),
            json.replacingOccurrences(of: "\"last_run_at\" : \"2026-11-25T08:45:00Z\"", with: "\"last_run_at\" : \"yesterday\""),
            json.replacingOccurrences(of: "\"change_ratio\" : 0.5,", with: ""),
        ]
        #expect(broken.allSatisfy { $0 != json })
        #expect(try SchemaValidator.errors(in: broken[0]) == ["schema_version: 4 was expected"])
        #expect(try SchemaValidator.errors(in: broken[1]) == ["sections/0/rows/3/status: 'old' is not one of ['ok', 'no_data', 'stale', 'failed']"])
        #expect(try SchemaValidator.errors(in: broken[2]).count == 1)
        #expect(try SchemaValidator.errors(in: broken[3]) == ["sections/2/rows/0: 'change_ratio' is a required property"])
    }

    @Test func jsonRoundTripsThroughDecoding() async throws {
        let json = try await render(.fullData)
        let report = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        #expect(report.schemaVersion == 4)
        #expect(try JSONRenderer().render(report) == json)
    }
}
