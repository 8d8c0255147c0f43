import Foundation
import Testing
import VitalsCollectors
import VitalsCore

/// Resolution order over real files in a temporary folder: `--config`, then `VITALS_CONFIG`, then `./vitals.yml`, then defaults.
@Suite struct ConfigResolveTests {
    /// A temporary working folder holding `vitals.yml` (store `local.db`), `explicit.yml` and `env.yml`.
    func withFolder(writeLocal: Bool = true, _ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = ["explicit.yml": "store: explicit.db\n", "env.yml": "store: env.db\n"].merging(
            writeLocal ? ["vitals.yml": "store: local.db\n"] : [:]
        ) { $1 }
        for (name, text) in files { try text.write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8) }
        try body(folder)
    }

    @Test func explicitFileWins() throws {
        try withFolder { folder in
            let config = try ConfigLoader.resolve(explicit: "explicit.yml", environment: ["VITALS_CONFIG": "env.yml"], workingDirectory: folder)
            #expect(config.storePath == "explicit.db")
            #expect(config.file == "\(folder)/explicit.yml")
        }
    }

    @Test func environmentVariableBeatsLocalFile() throws {
        try withFolder { folder in
            let config = try ConfigLoader.resolve(explicit: nil, environment: ["VITALS_CONFIG": "\(folder)/env.yml"], workingDirectory: "/")
            #expect(config.storePath == "env.db")
        }
    }

    @Test func localFileBeatsDefaults() throws {
        try withFolder { folder in
            let config = try ConfigLoader.resolve(explicit: nil, environment: ["VITALS_CONFIG": ""], workingDirectory: folder)
            #expect(config.storePath == "local.db")
            #expect(config.file == "\(folder)/vitals.yml")
        }
    }

    @Test func noFileMeansDefaults() throws {
        try withFolder(writeLocal: false) { folder in
            let config = try ConfigLoader.resolve(explicit: nil, environment: [:], workingDirectory: folder)
            #expect(config == VitalsConfig(sources: VitalsConfig.localSources(of: SourceRegistry.types)))
            #expect(config.file == nil)
        }
    }

    @Test(arguments: [
        ("missing.yml", [String: String](), "missing.yml: no such file (given by --config)"),
        (nil, ["VITALS_CONFIG": "gone.yml"], "gone.yml: no such file (given by VITALS_CONFIG)"),
    ])
    func namedFileMustExist(explicit: String?, environment: [String: String], message: String) throws {
        try withFolder { folder in
            let error = #expect(throws: ConfigError.self) {
                try ConfigLoader.resolve(explicit: explicit, environment: environment, workingDirectory: folder)
            }
            #expect(error?.description == message)
            #expect(error?.code == .fileNotFound)
        }
    }

    @Test func messagesNameTheFileAsGiven() throws {
        try withFolder { folder in
            try "store: ok\nretention: soon\n".write(toFile: "\(folder)/vitals.yml", atomically: true, encoding: .utf8)
            let error = #expect(throws: ConfigError.self) { try ConfigLoader.resolve(explicit: nil, environment: [:], workingDirectory: folder) }
            #expect(
                error?.description
                    == "vitals.yml:2:12: retention: invalid duration 'soon': expected a whole number before a unit, as in 30s, 5m, 2h, 7d")
        }
    }

    @Test func rejectsTextThatIsNotUTF8() throws {
        try withFolder { folder in
            let path = "\(folder)/latin1.yml"
            try Data([0x73, 0x74, 0x6F, 0x72, 0x65, 0x3A, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: ConfigError.self) { try ConfigLoader.load(file: path, environment: [:]) }
            #expect(error?.description == "\(path): is not UTF-8 text")
            #expect(error?.code == .unreadableFile)
        }
    }
}
