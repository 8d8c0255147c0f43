import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

/// Every source type's declaration holds for what its collector writes, and the registry is consistent.
@Suite struct SourceDeclarationTests {
    let now = RFC3339.parse("2026-03-02T12:00:00Z")!

    /// A repository where every local collector has something to read: commits by two authors and a merge, an lcov file with
    /// branches and functions, two SARIF logs (so `file`-less totals, levels, severities and new results), markers, and a jscpd and a CPD report
    /// (so `file` labels).
    func repository() throws -> GitRepository {
        let repository = try GitRepository(name: "shop")
        try repository.write("main.c", "int main(void) { return 0; } // TODO: exit codes\n")
        try repository.commit("start", at: "2026-03-01T09:00:00+00:00")
        _ = try repository.git("checkout", "-q", "-b", "topic")
        try repository.write("util.c", "/* FIXME and HACK */\nint util(void);\n")
        try repository.commit("util", at: "2026-03-01T10:00:00+00:00", by: .bo)
        _ = try repository.git("checkout", "-q", "-")
        try repository.merge("topic", at: "2026-03-01T11:00:00+00:00")
        try repository.write(
            "coverage/lcov.info",
            "SF:main.c\nFN:1,main\nFNDA:1,main\nFNF:1\nFNH:1\nBRDA:1,0,0,1\nBRDA:1,0,1,0\nBRF:2\nBRH:1\nLF:2\nLH:1\nend_of_record\n")
        try repository.write("codeql.sarif", try String(decoding: FixtureRepository.data("SARIF/codeql-shaped.sarif"), as: UTF8.self))
        try repository.write("bandit.sarif", try String(decoding: FixtureRepository.data("SARIF/bandit.sarif"), as: UTF8.self))
        try repository.write("jscpd-report.json", try String(decoding: FixtureRepository.data("Duplication/jscpd-report.json"), as: UTF8.self))
        try repository.write("cpd.xml", try String(decoding: FixtureRepository.data("Duplication/cpd.xml"), as: UTF8.self))
        return repository
    }

    @Test(arguments: SourceRegistry.sources.filter(\.type.isLocal).map(\.type.rawValue))
    func everySampleMatchesItsDeclaration(type: String) async throws {
        let definition = try #require(SourceRegistry.sources.first { $0.type.rawValue == type })
        let repository = try repository()
        let config = SourceConfig(name: type, type: definition.type)
        let collector = SourceRegistry.collector(for: config, root: repository.url)
        let request = CollectionRequest(now: now, timeZone: .gmt, since: RFC3339.parse("2026-02-28T00:00:00Z")!)
        let samples = SeriesIdentity.labelled(try await collector.collect(request), source: config.name)

        #expect(!samples.isEmpty)
        #expect(DeclaredSamples.mismatches(samples, of: definition) == [])
        #expect(Set(samples.map(\.series.key.name)).isSubset(of: collector.metrics))
    }

    @Test func theRegistryIsConsistent() {
        let types = SourceRegistry.types.map(\.rawValue)
        #expect(Set(types).count == types.count)
        for definition in SourceRegistry.sources {
            // A source whose metrics its input names declares none; every other declares what it writes.
            #expect(definition.metrics.isEmpty == definition.metricsFromInput, "\(definition.type)")
            for metric in definition.metrics {
                #expect(metric.source == definition.type, "\(metric.name) is declared by \(definition.type) for \(metric.source)")
            }
        }
    }

    /// docs/metrics.md: names end in their unit, as Prometheus names do.
    @Test func ratiosAndDurationsAreNamedByTheirUnit() {
        for metric in SourceRegistry.metrics {
            if metric.unit == .ratio { #expect(metric.name.hasSuffix("_ratio"), "\(metric.name)") }
            if metric.unit == .seconds { #expect(metric.name.hasSuffix("_seconds"), "\(metric.name)") }
        }
    }
}
