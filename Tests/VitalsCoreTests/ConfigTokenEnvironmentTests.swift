import Testing

@testable import VitalsCore

/// No current source type needs a token, so the checks for sources that do are exercised directly.
@Suite struct ConfigTokenEnvironmentTests {
    func tokenNode(_ value: String) throws -> (source: ConfigNode, tokenEnv: ConfigNode?) {
        let document = try #require(try ConfigLoader.document("sources:\n  - type: github\n    \(value)\n", file: "vitals.yml"))
        let source = try #require(try document.mapping(allowed: ["sources"])["sources"]?.items().first)
        return (source, try source.mapping(allowed: ["type", "name", "token_env"])["token_env"])
    }

    @Test func requiredVariableMustBeSet() throws {
        let (source, tokenEnv) = try tokenNode("token_env: GITHUB_TOKEN")
        let error = #expect(throws: ConfigError.self) {
            try TokenEnvironment.variable(tokenEnv, of: source, required: true, environment: ["GITHUB_TOKEN": ""])
        }
        #expect(error?.description == "vitals.yml:3:16: sources[0].token_env: the environment variable named here is not set")
        #expect(error?.code == .missingEnvironment)
        let name = try TokenEnvironment.variable(tokenEnv, of: source, required: true, environment: ["GITHUB_TOKEN": "t0ken"])
        #expect(name == "GITHUB_TOKEN")
    }

    @Test func requiredVariableMustBeNamed() throws {
        let (source, tokenEnv) = try tokenNode("name: gh")
        let error = #expect(throws: ConfigError.self) {
            try TokenEnvironment.variable(tokenEnv, of: source, required: true, environment: [:])
        }
        #expect(
            error?.description
                == "vitals.yml:2:5: sources[0]: missing required key 'token_env', the name of the environment variable holding the token")
        #expect(try TokenEnvironment.variable(tokenEnv, of: source, required: false, environment: [:]) == nil)
    }

    @Test func unsetVariableIsFineWhenNotRequired() throws {
        let (source, tokenEnv) = try tokenNode("token_env: _OPTIONAL_TOKEN_2")
        #expect(try TokenEnvironment.variable(tokenEnv, of: source, required: false, environment: [:]) == "_OPTIONAL_TOKEN_2")
    }

    @Test(arguments: [
        ("ghp_16C7e42F292c6912E7710c838347Ae178B4a", true), ("AKIAIOSFODNN7EXAMPLE", true), ("xoxb-1234-5678-abcdef", true),
        ("0123456789abcdef0123", true), ("GITHUB_TOKEN", false), ("SENTRY_AUTH_TOKEN_FOR_PRODUCTION", false), ("github token", false),
        ("short1", false),
    ])
    func recognisesPastedTokens(text: String, isSecret: Bool) {
        #expect(TokenEnvironment.looksLikeSecret(text) == isSecret)
    }
}
