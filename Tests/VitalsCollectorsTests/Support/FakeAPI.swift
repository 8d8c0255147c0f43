import Foundation
import VitalsTestSupport

/// A stand-in for a JSON API on 127.0.0.1 (Sentry, Linear, SonarQube): each path answered by its handler, with the
/// headers every answer of the real API carries (rate limits); answers queued for a path go first (a rate limit, an
/// HTML page, a cut-off body); an unknown path gets a JSON 404.
final class FakeAPI: @unchecked Sendable {
    typealias Request = LoopbackHTTPServer.Request
    typealias Response = LoopbackHTTPServer.Response

    private let lock = NSLock()
    private var queued: [String: [Response]] = [:]
    private var handlers: [String: @Sendable (Request, URL) -> Response] = [:]
    private var server: LoopbackHTTPServer!
    /// Added to every answer the handlers give.
    let headers: [(name: String, value: String)]

    init(headers: [(name: String, value: String)] = []) throws {
        self.headers = headers
        server = try LoopbackHTTPServer { [unowned self] request in answer(request) }
    }

    deinit { server.stop() }

    var baseURL: URL { server.baseURL }
    var requests: [Request] { server.requests }

    /// Answers `path` (as requested, leading `/` included) with `handler`, given the request and the server's base URL.
    func handle(_ path: String, _ handler: @escaping @Sendable (Request, URL) -> Response) { lock.withLock { handlers[path] = handler } }

    /// Answers `path` with `value` as JSON.
    func json(_ path: String, _ value: Any) {
        let body = try! JSONSerialization.data(withJSONObject: value, options: .sortedKeys)
        handle(path) { _, _ in Response(headers: [("Content-Type", "application/json")], body: body) }
    }

    func queue(_ path: String, _ response: Response) { lock.withLock { queued[path, default: []].append(response) } }

    private func answer(_ request: Request) -> Response {
        if let next = lock.withLock({ queued[request.path]?.isEmpty == false ? queued[request.path]!.removeFirst() : nil }) { return next }
        guard let handler = lock.withLock({ handlers[request.path] }) else {
            return Response(
                status: 404, headers: [("Content-Type", "application/json")], text: #"{"detail":"The requested resource does not exist"}"#)
        }
        var response = handler(request, baseURL)
        response.headers += headers
        return response
    }

    /// The query items of a request.
    static func query(_ request: Request) -> [URLQueryItem] { URLComponents(string: request.target)?.queryItems ?? [] }
}
