import Foundation
import Testing
import VitalsHTTP
import VitalsTestSupport

/// Proxies as the environment names them: requests go through a proxy on 127.0.0.1 that counts them, `NO_PROXY` goes
/// direct, https requests ask `HTTPS_PROXY` for a tunnel; the environment is the transport's own, never the process's.
@Suite struct ProxyTests {
    func transport(_ environment: [String: String]) -> CurlTransport {
        CurlTransport(options: CurlTransport.Options(timeout: .seconds(5), proxy: ProxySettings(environment: environment)))
    }

    @Test func aRequestGoesThroughTheProxy() async throws {
        let target = try LoopbackHTTPServer { _ in
            LoopbackHTTPServer.Response(headers: [("Content-Type", "application/json")], text: #"{"valid":true}"#)
        }
        defer { target.stop() }
        let proxy = try ForwardingProxy()
        defer { proxy.stop() }
        let url = target.baseURL.appendingPathComponent("api/authentication/validate")

        let response = try await transport(["http_proxy": proxy.url]).send(HTTPRequest(url: url, headers: ["Authorization": "Bearer t"]))

        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"valid":true}"#)
        #expect(proxy.requests.map(\.target) == [url.absoluteString])
        #expect(target.requests.map(\.target) == ["/api/authentication/validate"])
        #expect(target.requests.first?.header("Authorization") == "Bearer t")
    }

    @Test(arguments: ["127.0.0.1", "localhost,127.0.0.1", "*"])
    func noProxyGoesDirect(noProxy: String) async throws {
        let target = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(text: "direct") }
        defer { target.stop() }
        let proxy = try ForwardingProxy()
        defer { proxy.stop() }

        let response = try await transport(["http_proxy": proxy.url, "NO_PROXY": noProxy]).send(HTTPRequest(url: target.baseURL))

        #expect(String(decoding: response.body, as: UTF8.self) == "direct")
        #expect(proxy.requests.isEmpty)
        #expect(target.requests.count == 1)
    }

    /// An https request asks `HTTPS_PROXY` for a tunnel to its host (this proxy refuses it, so the request fails).
    @Test(arguments: ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
    func anHTTPSRequestAsksTheHTTPSProxyForATunnel(variable: String) async throws {
        let proxy = try ForwardingProxy()
        defer { proxy.stop() }

        await #expect(throws: HTTPError.self) {
            try await transport([variable: proxy.url]).send(HTTPRequest(url: URL(string: "https://sentry.invalid/api/0/")!))
        }

        #expect(proxy.requests.map(\.method) == ["CONNECT"])
        #expect(proxy.requests.first?.target == "sentry.invalid:443")
    }

    /// Without proxy variables the transport goes direct, whatever the process's environment holds.
    @Test func anEnvironmentWithoutProxiesGoesDirect() async throws {
        let target = try LoopbackHTTPServer { _ in LoopbackHTTPServer.Response(text: "direct") }
        defer { target.stop() }

        let response = try await transport([:]).send(HTTPRequest(url: target.baseURL))

        #expect(response.status == 200)
        #expect(ProxySettings(environment: ["HTTP_PROXY": "http://cgi.example"]).proxy(for: target.baseURL) == nil)
        #expect(ProxySettings(environment: ["https_proxy": "http://a", "HTTPS_PROXY": "http://b"]).https == "http://a")
    }
}
