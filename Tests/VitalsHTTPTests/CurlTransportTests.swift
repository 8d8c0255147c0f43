import Foundation
import Testing
import VitalsHTTP
import VitalsTestSupport

@Suite("libcurl transport over loopback")
struct CurlTransportTests {
    @Test("a GET returns status, headers and body; request headers arrive")
    func get() async throws {
        let server = try LoopbackHTTPServer { request in
            .init(status: 200, headers: [("Content-Type", "application/json"), ("X-Echo", request.header("Authorization") ?? "none")], text: #"{"ok":true}"#)
        }
        let response = try await CurlTransport().send(
            HTTPRequest(url: server.baseURL.appendingPathComponent("/repos/o/n/pulls"), headers: ["Authorization": "Bearer t0ken"]))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["X-Echo"] == "Bearer t0ken")
        #expect(server.requests.map(\.method) == ["GET"])
        #expect(server.requests.map(\.target) == ["/repos/o/n/pulls"])
    }

    @Test("a POST sends its body; a 4xx is a response, not an error", arguments: ["POST", "PUT", "PATCH"])
    func post(method: String) async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 400, text: "invalid_blocks") }
        let body = Data(#"{"text":"hello ✓"}"#.utf8)
        let response = try await CurlTransport().send(
            HTTPRequest(method: method, url: server.baseURL, headers: ["Content-Type": "application/json"], body: body))
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self) == "invalid_blocks")
        #expect(server.requests.first?.method == method)
        #expect(server.requests.first?.body == body)
        #expect(server.requests.first?.header("Content-Type") == "application/json")
    }

    @Test("a body over the limit fails, whether or not the server announces its length", arguments: [false, true])
    func tooLarge(omitsLength: Bool) async throws {
        let server = try LoopbackHTTPServer { _ in
            var response = LoopbackHTTPServer.Response(body: Data(repeating: 65, count: 300_000))
            response.omitsLength = omitsLength
            return response
        }
        let transport = CurlTransport(options: .init(maxResponseBytes: 100_000))
        await #expect(throws: HTTPError.self) { try await transport.send(HTTPRequest(url: server.baseURL)) }
        do {
            _ = try await transport.send(HTTPRequest(url: server.baseURL))
        } catch {
            #expect(error.code == .responseTooLarge)
            #expect(error.description.hasSuffix("the response is larger than the 100000-byte limit"))
        }
        let small = try await CurlTransport(options: .init(maxResponseBytes: 300_000)).send(HTTPRequest(url: server.baseURL))
        #expect(small.body.count == 300_000)
    }

    @Test("a server that never answers times out; a closed port is a connection error; both are transient")
    func failures() async throws {
        let silent = try LoopbackHTTPServer { _ in nil }
        do {
            _ = try await CurlTransport().send(HTTPRequest(url: silent.baseURL, timeout: .milliseconds(300)))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.code == .timeout)
            #expect(error.isTransient)
        }
        let closed = try LoopbackHTTPServer { _ in .init() }
        let url = closed.baseURL
        closed.stop()
        do {
            _ = try await CurlTransport().send(HTTPRequest(url: url))
            Issue.record("expected a connection error")
        } catch {
            #expect(error.code == .connection)
            #expect(error.isTransient)
        }
    }

    @Test("errors never show a secret URL's path, a query or credentials")
    func redaction() async throws {
        let closed = try LoopbackHTTPServer { _ in .init() }
        let base = closed.baseURL.absoluteString
        closed.stop()
        let webhook = HTTPRequest(method: "POST", url: URL(string: "\(base)/services/T0/B0/XSECRETX")!, body: Data("{}".utf8), urlIsSecret: true)
        let query = HTTPRequest(url: URL(string: "http://user:PASSWORD@127.0.0.1:\(closed.port)/api?token=QSECRETQ")!)
        for request in [webhook, query] {
            do {
                _ = try await CurlTransport().send(request)
                Issue.record("expected a connection error")
            } catch {
                for secret in ["XSECRETX", "QSECRETQ", "PASSWORD", "B0"] { #expect(!error.description.contains(secret), "\(error)") }
                #expect(error.description.contains("127.0.0.1"))
            }
        }
    }

    @Test("cancelling the waiting task ends the transfer")
    func cancellation() async throws {
        let silent = try LoopbackHTTPServer { _ in nil }
        let task = Task { try await CurlTransport().send(HTTPRequest(url: silent.baseURL, timeout: .seconds(60))) }
        while silent.requests.isEmpty { await Task.yield() }
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("expected cancellation")
        } catch let error as HTTPError {
            #expect(error.code == .cancelled)
        }
    }

    @Test("requests in turn to a server that keeps connections reuse one; requests at once each get their own answer")
    func connectionReuse() async throws {
        let server = try LoopbackHTTPServer(keepsConnections: true) { request in .init(text: request.path) }
        defer { server.stop() }
        let transport = CurlTransport()
        for page in 1...5 {
            let response = try await transport.send(HTTPRequest(url: server.baseURL.appendingPathComponent("page\(page)")))
            #expect(String(decoding: response.body, as: UTF8.self) == "/page\(page)")
        }
        #expect(server.connections == 1, "one connection for five requests in turn, not one each")
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for page in 1...8 {
                group.addTask { String(decoding: try await transport.send(HTTPRequest(url: server.baseURL.appendingPathComponent("at\(page)"))).body, as: UTF8.self) }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(answers == Set((1...8).map { "/at\($0)" }))
    }
}
