import Foundation
import Testing
import VitalsCollectors
import VitalsCore

@Suite struct ConfigValidFileTests {
    @Test func readsEveryKey() throws {
        let text = """
            # vitals configuration
            time_zone: Europe/Berlin
            store: data/vitals.db
            retention: 90d
            rules: alerts
            reports: weekly
            sources:
              - type: git
                path: .
                branch: main
                history: 180d
                interval: 30m
              - name: unit-coverage
                type: coverage
                paths: [coverage/lcov.info, coverage/cobertura.xml]
              - type: sarif
                paths: build/lint.sarif
              - type: markers
                token_env: MARKERS_TOKEN

            """
        let config = try ConfigLoader.parse(text, file: "vitals.yml", environment: [:])
        let expected = VitalsConfig(
            file: "vitals.yml", timeZone: try #require(TimeZone(identifier: "Europe/Berlin")), storePath: "data/vitals.db",
            retention: .days(90), rulesDirectory: "alerts", reportsDirectory: "weekly",
            sources: [
                SourceConfig(
                    name: "git", type: .git, interval: .minutes(30),
                    options: ["path": .string("."), "branch": .string("main"), "history": .string("180d")]),
                SourceConfig(
                    name: "unit-coverage", type: .coverage, options: ["paths": .list(["coverage/lcov.info", "coverage/cobertura.xml"])]),
                SourceConfig(name: "sarif", type: .sarif, options: ["paths": .list(["build/lint.sarif"])]),
                SourceConfig(name: "markers", type: .markers, tokenEnv: "MARKERS_TOKEN"),
            ]
        )
        #expect(config == expected)
        #expect(config.sources[0].interval.milliseconds == 1_800_000)
        #expect(config.sources[1].interval == .hours(1))
    }

    @Test(arguments: ["", "# only a comment\n\n# and another\n", "---\n", "~\n"])
    func emptyDocumentMeansDefaults(text: String) throws {
        let config = try ConfigLoader.parse(text, file: "vitals.yml", environment: [:])
        #expect(config == VitalsConfig(file: "vitals.yml", sources: VitalsConfig.localSources(of: SourceRegistry.types)))
        #expect(config.sources.map(\.name) == ["git", "coverage", "sarif", "markers", "duplication"])
        #expect(config.storePath == ".vitals/vitals.db")
        #expect(config.retention == .days(400))
    }

    @Test func absentSourcesMeanLocalSourcesAndEmptyListMeansNone() throws {
        let absent = try ConfigLoader.parse("time_zone: UTC\n", file: "vitals.yml", environment: [:])
        #expect(absent.sources == VitalsConfig.localSources(of: SourceRegistry.types))
        #expect(absent.timeZone.secondsFromGMT() == 0)
        let none = try ConfigLoader.parse("sources: []\n", file: "vitals.yml", environment: [:])
        #expect(none.sources.isEmpty)
    }

    @Test func unquotedNumbersAndBooleansAreReadAsText() throws {
        let config = try ConfigLoader.parse("sources:\n  - type: git\n    branch: 2024\n    name: yes\n", file: "vitals.yml", environment: [:])
        #expect(config.sources == [SourceConfig(name: "yes", type: .git, options: ["branch": .string("2024")])])
    }
}

extension ConfigValidFileTests {
    /// The commented example at the repository root must stay a file vitals accepts.
    @Test func exampleFileLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigLoader.load(file: root.appendingPathComponent("vitals.example.yml").path, environment: [:])
        #expect(config.sources.map(\.name) == ["git", "unit-coverage", "sarif", "duplication", "markers"])
        #expect(config.sources[0].string("branch") == "main")
        #expect(config.sources[2].strings("paths") == ["build/lint.sarif"])
        #expect(config.timeZone.identifier == "Europe/Berlin")
        #expect(config.retention == .days(400))
    }
}
