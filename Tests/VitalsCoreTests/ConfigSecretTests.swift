import Foundation
import Testing
import VitalsCollectors

@testable import VitalsCore

/// The value of a secret-bearing key is never repeated in an error, whatever it looks like.
@Suite struct ConfigSecretTests {
    /// Shapes of value a user pastes where a variable name belongs: tokens of known formats, credentials with spaces, short
    /// passwords, URLs, names in the wrong case, text with quotes and non-ASCII letters, numbers; and a valid name that is unset.
    static let values = [
        "Basic dXNlcjpwYXNzd29yZA==", "Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
        "xoxb-1234-5678-abcdef", "AKIAIOSFODNN7EXAMPLE", "hunter2", "s3cr", "p@ss w0rd!", "https://hooks.slack.com/services/T0/B0/Zz9",
        "smtp://mailer:Pa55word@smtp.example.org:587", "lower_case_secret", "it's \\\"quoted\\\"", "ünïcødé-tøkèn", "314159265358",
        "Zm9vYmFyYmF6cXV4", "UNSET_SECRET_VARIABLE_NAME",
    ]

    /// Every secret-bearing key Core reads, as a document with the value in it (channels' keys are their types' readers',
    /// tested in VitalsNotifyTests' ChannelRegistryTests).
    static func documents(_ value: String) -> [String] {
        SourceRegistry.types.map { "sources:\n  - type: \($0.rawValue)\n    token_env: \"\(value)\"\n" }
    }

    @Test(arguments: values)
    func noErrorRepeatsTheValue(value: String) {
        let unescaped = value.replacingOccurrences(of: "\\\"", with: "\"")
        for document in Self.documents(value) {
            do {
                _ = try ConfigLoader.parse(document, file: "vitals.yml", environment: [:])
                // Only a well-formed name loads (its variable is read when needed).
                #expect(TokenEnvironment.isVariableName(unescaped), "\(document)")
            } catch {
                #expect(!error.description.contains(unescaped), "\(error.description)")
                #expect(error.position != nil, "\(error.description)")
            }
        }
    }

    /// A source that needs a token says its variable is unset without naming it (the name could be a pasted token that
    /// happens to look like one).
    @Test func anUnsetVariableIsNotNamed() throws {
        let document = try #require(try ConfigLoader.document("sources:\n  - type: x\n    token_env: ABCDEF1234567890XYZ\n", file: "vitals.yml"))
        let source = try #require(try document.mapping(allowed: ["sources"])["sources"]?.items().first)
        let node = try source.mapping(allowed: ["type", "token_env"])["token_env"]
        let error = #expect(throws: ConfigError.self) {
            try TokenEnvironment.variable(node, of: source, required: true, environment: [:])
        }
        #expect(error?.description == "vitals.yml:3:16: sources[0].token_env: the environment variable named here is not set")
    }

    @Test(arguments: [
        ("token_env", true), ("webhook_url_env", true), ("routing_key_env", true), ("url_env", true), ("smtp_url_env", true),
        ("api_key", true), ("API_TOKEN", true), ("client_secret", true), ("password", true), ("db_passwd", true),
        ("SlackWebhookURL", true), ("authorization", true), ("auth", true), ("basic_auth", true), ("credentials", true),
        ("session_cookie", true), ("name", false), ("type", false), ("path", false), ("paths", false), ("interval", false),
        ("history", false), ("author", false), ("branch", false), ("to", false), ("default", false), ("store", false),
    ])
    func theRuleSaysWhichKeysBearSecrets(key: String, secret: Bool) {
        #expect(TokenEnvironment.isSecretBearing(key) == secret)
    }

    /// The schema's secret-bearing keys are exactly those read as variable names, so a new key that bears a secret
    /// cannot slip through a path that quotes values.
    @Test func everySecretBearingKeyOfTheSchemaIsReadAsAVariableName() {
        let sourceKeys = SourceReader.commonKeys + SourceRegistry.types.flatMap { $0.options.keys }
        let channelKeys = AlertingReader.commonChannelKeys
        let otherKeys = ConfigLoader.topLevelKeys + AlertingReader.muteWindowKeys + AlertingReader.timeKeys
        let secretKeys = Set((sourceKeys + channelKeys + otherKeys).filter(TokenEnvironment.isSecretBearing))
        #expect(secretKeys == ["token_env"])
    }

    /// A source option whose name bears a secret takes a variable name too, and is never repeated.
    @Test(arguments: ["Basic dXNlcjpwYXNz", "hunter2", "API_KEY_VARIABLE"])
    func aSecretBearingSourceOptionTakesAVariableName(value: String) throws {
        let document = try #require(try ConfigLoader.document("sources:\n  - api_key: \"\(value)\"\n", file: "vitals.yml"))
        let source = try #require(try document.mapping(allowed: ["sources"])["sources"]?.items().first)
        let node = try #require(try source.mapping(allowed: ["api_key"])["api_key"])
        do {
            #expect(try SourceReader.option(node, key: "api_key", shape: .string) == .string(value))
            #expect(TokenEnvironment.isVariableName(value))
        } catch {
            #expect(!error.description.contains(value))
            #expect(error.description.hasPrefix("vitals.yml:2:14: sources[0].api_key: "))
        }
    }
}
