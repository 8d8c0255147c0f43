import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

/// `vitals doctor`'s checks: each source's token variable, then the one request its type declares, against fake servers.
@Suite struct SourceDoctorTests {
    static let token = "FAKEdoctor0123456789abcdefABCDEF0123456789"

    func findings(_ yaml: String, environment: [String: String]) async throws -> [SourceDoctor.Finding] {
        let config = try ConfigLoader.parse(
            yaml, file: "vitals.yml", environment: environment, sourceTypes: SourceRegistry.types, requireTokens: false)
        return await SourceDoctor.check(config.sources, context: CollectorContext(root: URL(fileURLWithPath: "/"), environment: environment))
    }

    @Test func everyRemoteTypeAsksOneCheapRequest() async throws {
        let github = try FakeGitHub()
        github.object("repos/o/r", ["id": 1, "full_name": "o/r", "private": true])
        let sentry = try FakeSentry.make()
        let linear = try FakeLinear.make()
        let sonar = try FakeSonarQube.make()
        let probe = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 204) }
        defer { probe.stop() }
        let prometheus = try LoopbackHTTPServer { _ in
            LoopbackHTTPServer.Response(text: #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1772884800,"1"]}]}}"#)
        }
        defer { prometheus.stop() }
        let yaml = """
            sources:
              - {type: github, repo: o/r, token_env: T, base_url: \(github.baseURL.absoluteString)}
              - {type: sentry, org: o, project: shop, token_env: T, base_url: \(sentry.baseURL.absoluteString)}
              - {type: linear, team: ENG, token_env: T, base_url: \(linear.baseURL.absoluteString)/graphql}
              - {type: sonarqube, project: shop, token_env: T, base_url: \(sonar.baseURL.absoluteString)}
              - {type: http_probe, url: "\(probe.baseURL.absoluteString)/health", expect_status: [200, 204]}
              - {type: markers}
              - {type: prometheus, base_url: \(prometheus.baseURL.absoluteString), queries: {up_ratio: 'avg(up)'}}
            """

        let findings = try await findings(yaml, environment: ["T": Self.token])

        #expect(findings.map(\.passed) == [true, true, true, true, true, true, true])
        #expect(findings[6].checks.map(\.detail) == ["GET api/v1/query?query=vector(1): answered"])
        #expect(prometheus.requests.first?.target.hasPrefix("/api/v1/query?query=vector(1)") == true)
        #expect(findings[0].checks.map(\.detail) == ["T is set", "GET repos/o/r: o/r is readable"])
        #expect(findings[1].checks.last?.detail == "GET api/0/projects/o/shop/: project shop (id 4505)")
        #expect(findings[2].checks.last?.detail == "query viewer { id }: user u1")
        #expect(findings[3].checks.last?.detail == "GET api/authentication/validate: the token is valid")
        #expect(findings[4].checks.map(\.detail) == ["GET \(probe.baseURL.absoluteString)/health: HTTP 204"])
        #expect(findings[5].checks.map(\.detail) == ["reads files on this machine: nothing to ask"])
        #expect(github.requests.count == 1 && sentry.requests.count == 1 && linear.requests.count == 1 && sonar.requests.count == 1)
        #expect(sonar.requests.map(\.path) == ["/api/authentication/validate"])
    }

    /// An unset variable is reported with its fix and no request is sent; a refused token, a wrong project, an invalid
    /// SonarQube token and an unhealthy probe each fail with what to change. The token is in no line.
    @Test func failuresSayWhatToChange() async throws {
        let sentry = try FakeSentry.make()
        sentry.queue("/api/0/projects/o/shop/", FakeAPI.Response(status: 401, text: #"{"detail":"Invalid token"}"#))
        let linear = try FakeLinear.make()
        linear.queue(
            "/graphql",
            FakeAPI.Response(
                status: 400,
                text: #"{"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR"}}]}"#))
        let sonar = try FakeAPI()
        sonar.json("/api/authentication/validate", ["valid": false])
        let probe = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(status: 503) }
        defer { probe.stop() }
        let yaml = """
            sources:
              - {type: sentry, org: o, project: shop, token_env: T, base_url: \(sentry.baseURL.absoluteString)}
              - {type: sentry, name: other, org: o, project: nope, token_env: T, base_url: \(sentry.baseURL.absoluteString)}
              - {type: linear, team: ENG, token_env: UNSET_KEY, base_url: \(linear.baseURL.absoluteString)/graphql}
              - {type: linear, name: refused, team: ENG, token_env: T, base_url: \(linear.baseURL.absoluteString)/graphql}
              - {type: sonarqube, project: shop, token_env: T, base_url: \(sonar.baseURL.absoluteString)}
              - {type: http_probe, url: "\(probe.baseURL.absoluteString)/health"}
            """

        let findings = try await findings(yaml, environment: ["T": Self.token])

        #expect(findings.map(\.passed) == [false, false, false, false, false, false])
        #expect(findings[0].checks.last?.detail.hasSuffix("/api/0/projects/o/shop/: HTTP 401: Invalid token") == true)
        #expect(findings[0].checks.last?.fix == "the token in T is not accepted: create a new one and set T to it")
        #expect(findings[1].checks.last?.fix?.hasPrefix("check org and project") == true)
        #expect(findings[2].checks.map(\.detail) == ["UNSET_KEY, named by token_env, is not set"])
        #expect(linear.requests.count == 1)
        #expect(findings[3].checks.last?.fix == "the token in T is not accepted: create a new one and set T to it")
        #expect(findings[4].checks.last?.detail == "SonarQube does not accept the token (api/authentication/validate: valid false)")
        #expect(findings[5].checks.last?.detail == "GET \(probe.baseURL.absoluteString)/health: HTTP 503, expected 200")
        #expect(!SourceDoctor.text(findings).contains(Self.token))
        #expect(
            SourceDoctor.text(findings).contains(
                "linear (linear): FAILED\n  FAIL UNSET_KEY, named by token_env, is not set\n       fix: export UNSET_KEY="))
    }
}
