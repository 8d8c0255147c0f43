import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsReports

@Suite struct ReportSchemaTests {
    enum Shape: String, CaseIterable {
        case emptyStore
        case fullData
        case everySourceFailed
        case everySourceSkipped
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
