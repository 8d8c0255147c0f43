import Testing
import VitalsCollectors
import VitalsCore

/// A remote source's options: required keys and `base_url`, checked with positions like every other key.
@Suite struct ConfigRemoteSourceTests {
    static let environment = ["GH_TOKEN": "set"]

    static func github(_ extra: String) -> String { "sources:\n  - type: github\n    token_env: GH_TOKEN\n" + extra }

    @Test(arguments: [
        (github(""), "vitals.yml:2:5: sources[0]: missing required key 'repo' for a source of type github"),
        (
            github("    repo: o/r\n    base_url: ftp://ghe.example.com\n"),
            "vitals.yml:5:15: sources[0].base_url: expected an http or https URL such as https://github.example.com/api/v3, "
                + "found 'ftp://ghe.example.com'"
        ),
        (
            github("    repo: o/r\n    base_url: https://ana:hunter2@ghe.example.com/api/v3\n"),
            "vitals.yml:5:15: sources[0].base_url: expected an http or https URL such as https://github.example.com/api/v3 without "
                + "credentials or query; the token goes in token_env (the value is not repeated here)"
        ),
        (
            "sources:\n  - type: github\n    repo: o/r\n",
            "vitals.yml:2:5: sources[0]: missing required key 'token_env', the name of the environment variable holding the token"
        ),
    ])
    func rejectsWithPositionedMessage(document: String, message: String) {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(document, file: "vitals.yml", environment: Self.environment) }
        do {
            _ = try ConfigLoader.parse(document, file: "vitals.yml", environment: Self.environment)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func aCompleteGitHubSourceLoads() throws {
        let config = try ConfigLoader.parse(
            Self.github("    repo: o/r\n    base_url: https://ghe.example.com/api/v3\n    production_environment: live\n"), file: "vitals.yml",
            environment: Self.environment)
        #expect(
            config.sources == [
                SourceConfig(
                    name: "github", type: .github,
                    options: [
                        "repo": .string("o/r"), "base_url": .string("https://ghe.example.com/api/v3"), "production_environment": .string("live"),
                    ],
                    tokenEnv: "GH_TOKEN")
            ])
    }
}
