import Foundation
import Testing
import VitalsTestSupport

/// `vitals collect` with a github source whose token GitHub refuses: the source fails, the local ones still run, and the
/// token is in no output (standard output, standard error, the report) and not in the store file.
@Suite struct GitHubSourceCommandTests {
    static let token = "ghp_CLItoken0123456789abcdefABCDEFghijkl"
    let now = "2026-11-25T12:00:00Z"

    @Test func aRefusedTokenFailsTheSourceAndAppearsNowhere() throws {
        let github = try LoopbackHTTPServer { _ in
            LoopbackHTTPServer.Response(
                status: 401, headers: [("Content-Type", "application/json")],
                text: #"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}"#)
        }
        defer { github.stop() }
        let repository = try GitRepository(name: "api")
        try repository.write("main.c", "int main(void) { return 0; } // TODO\n")
        try repository.commit("start", at: "2026-11-23T10:00:00+00:00")
        try repository.write(
            "vitals.yml",
            "sources:\n  - type: markers\n  - type: github\n    repo: acme/api\n    token_env: GH_TOKEN\n    base_url: \(github.baseURL.absoluteString)\n"
        )
        let environment = ["GH_TOKEN": Self.token]

        let collect = try VitalsProcess.run(["collect", "--format", "json", "--now", now], in: repository.url, environment: environment)
        let report = try VitalsProcess.run(["report", "--now", now], in: repository.url, environment: environment)

        #expect(collect.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(collect.stdout.utf8)) as? [String: Any])
        let sources = try #require(document["sources"] as? [[String: Any]])
        let entry = try #require(sources.first { $0["source"] as? String == "github" })
        #expect(entry["status"] as? String == "failed")
        #expect((entry["error"] as? String)?.contains("/repos/acme/api/pulls: HTTP 401: {\"message\":\"Bad credentials\"") == true, "\(entry)")
        #expect(sources.first { $0["source"] as? String == "markers" }?["status"] as? String == "ok")
        #expect(github.requests.first?.header("Authorization") == "Bearer \(Self.token)")
        let storeFiles = try FileManager.default.contentsOfDirectory(
            at: repository.url.appendingPathComponent(".vitals"), includingPropertiesForKeys: nil)
        let stored = try storeFiles.map { String(decoding: try Data(contentsOf: $0), as: UTF8.self) }
        #expect(!stored.isEmpty)
        for output in [collect.stdout, collect.stderr, report.stdout, report.stderr] + stored {
            #expect(!output.contains(Self.token))
        }
    }

    /// `vitals collect stability` runs the github source, whose DORA and CI metrics are in that family, and not the
    /// markers source, whose metric is in quality.
    @Test func aFamilyRunsEverySourceWithAMetricInIt() throws {
        let github = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 401, text: #"{"message":"Bad credentials"}"#) }
        defer { github.stop() }
        let repository = try GitRepository(name: "api")
        try repository.write("main.c", "int main(void) { return 0; }\n")
        try repository.commit("start", at: "2026-11-23T10:00:00+00:00")
        try repository.write(
            "vitals.yml",
            "sources:\n  - type: markers\n  - type: github\n    repo: acme/api\n    token_env: GH_TOKEN\n    base_url: \(github.baseURL.absoluteString)\n"
        )

        let result = try VitalsProcess.run(
            ["collect", "stability", "--format", "json", "--now", now], in: repository.url, environment: ["GH_TOKEN": Self.token])

        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sources = try #require(document["sources"] as? [[String: Any]])
        #expect(sources.map { $0["source"] as? String } == ["github"])
    }
}

/// `vitals doctor` as a user runs it: each source's findings on standard output, exit 1 when one fails, and a token
/// variable that is not set reported rather than refused when the file is loaded.
@Suite struct DoctorCommandTests {
    @Test func reportsEachSourceAndFailsWhenOneFails() throws {
        let sonar = try LoopbackHTTPServer { request in
            request.path == "/api/authentication/validate"
                ? LoopbackHTTPServer.Response(headers: [("Content-Type", "application/json")], text: #"{"valid":true}"#)
                : LoopbackHTTPServer.Response(status: 404)
        }
        defer { sonar.stop() }
        let folder = try TemporaryFolder()
        let yaml = """
            sources:
              - {type: sonarqube, project: shop, token_env: SONAR_TOKEN, base_url: \(sonar.baseURL.absoluteString)}
              - {type: linear, team: ENG, token_env: LINEAR_API_KEY}

            """
        try yaml.write(to: folder.url.appendingPathComponent("vitals.yml"), atomically: true, encoding: .utf8)

        try (yaml.components(separatedBy: "\n").prefix(2).joined(separator: "\n") + "\n").write(
            to: folder.url.appendingPathComponent("only-sonar.yml"), atomically: true, encoding: .utf8)

        let failing = try VitalsProcess.run(["doctor"], in: folder.url, environment: ["SONAR_TOKEN": "squ_doctor0123456789"])
        let passing = try VitalsProcess.run(
            ["doctor", "--config", "only-sonar.yml"], in: folder.url, environment: ["SONAR_TOKEN": "squ_doctor0123456789"])

        #expect(failing.status == 1)
        #expect(
            failing.stdout == """
                sonarqube (sonarqube): ok
                  ok   SONAR_TOKEN is set
                  ok   GET api/authentication/validate: the token is valid
                linear (linear): FAILED
                  FAIL LINEAR_API_KEY, named by token_env, is not set
                       fix: export LINEAR_API_KEY=… with the token (docs/configuration.md, Secrets)

                """)
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        #expect(!(failing.stdout + failing.stderr).contains("squ_doctor0123456789"))
    }
}

/// `vitals collect` and `vitals report` with sentry, linear and sonarqube sources whose tokens are refused: each fails
/// on its own, the local source still runs, and the token is in no output, report or store file.
@Suite struct RemoteSourcesCommandTests {
    static let token = "FAKEcli0123456789abcdefABCDEFghijklmnop"

    @Test func refusedTokensFailTheirSourcesAndAppearNowhere() throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/sentry/api/0/projects/acme/shop/": LoopbackHTTPServer.Response(status: 401, text: #"{"detail":"Invalid token"}"#)
            case "/graphql":
                LoopbackHTTPServer.Response(
                    status: 400,
                    text: #"{"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR"}}]}"#)
            default: LoopbackHTTPServer.Response(status: 403, text: #"{"errors":[{"msg":"Insufficient privileges"}]}"#)
            }
        }
        defer { server.stop() }
        let base = server.baseURL.absoluteString
        let repository = try GitRepository(name: "api")
        try repository.write("main.c", "int main(void) { return 0; } // TODO\n")
        try repository.commit("start", at: "2026-11-23T10:00:00+00:00")
        try repository.write(
            "vitals.yml",
            """
            sources:
              - type: markers
              - {type: sentry, org: acme, project: shop, token_env: SENTRY_TOKEN, base_url: \(base)/sentry}
              - {type: linear, team: ENG, token_env: LINEAR_API_KEY, base_url: \(base)/graphql}
              - {type: sonarqube, project: shop, token_env: SONAR_TOKEN, base_url: \(base)}

            """)
        let environment = ["SENTRY_TOKEN": Self.token, "LINEAR_API_KEY": Self.token, "SONAR_TOKEN": Self.token]

        let collect = try VitalsProcess.run(["collect", "--format", "json", "--now", "2026-11-25T12:00:00Z"], in: repository.url, environment: environment)
        // One request each: a refusal is not retried.
        #expect(server.requests.count == 3)
        let report = try VitalsProcess.run(["report", "--now", "2026-11-25T12:00:00Z"], in: repository.url, environment: environment)

        #expect(collect.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(collect.stdout.utf8)) as? [String: Any])
        let sources = try #require(document["sources"] as? [[String: Any]])
        let status = Dictionary(uniqueKeysWithValues: sources.map { ($0["source"] as? String ?? "", $0["status"] as? String ?? "") })
        #expect(status == ["markers": "ok", "sentry": "failed", "linear": "failed", "sonarqube": "failed"])
        let errors = sources.compactMap { $0["error"] as? String }
        #expect(errors.contains { $0.hasSuffix("/sentry/api/0/projects/acme/shop/: HTTP 401: Invalid token") }, "\(errors)")
        #expect(errors.contains { $0.hasSuffix("/graphql: HTTP 400: Authentication required, not authenticated (AUTHENTICATION_ERROR)") }, "\(errors)")
        #expect(errors.contains { $0.hasSuffix("/api/measures/component: HTTP 403: Insufficient privileges") }, "\(errors)")
        let storeFiles = try FileManager.default.contentsOfDirectory(
            at: repository.url.appendingPathComponent(".vitals"), includingPropertiesForKeys: nil)
        let stored = try storeFiles.filter { !$0.hasDirectoryPath }.map { String(decoding: try Data(contentsOf: $0), as: UTF8.self) }
        for output in [collect.stdout, collect.stderr, report.stdout, report.stderr] + stored {
            #expect(!output.contains(Self.token))
        }
    }
}
