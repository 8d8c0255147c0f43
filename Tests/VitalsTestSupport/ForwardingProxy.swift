public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP proxy on 127.0.0.1 that counts what it is asked: a request in absolute form (`GET http://127.0.0.1:PORT/x`)
/// is forwarded to that server (IPv4 literal hosts only) and its answer passed back; a `CONNECT` (an https request's
/// tunnel) is recorded and refused with 502, since tests need to see only that it was asked.
public final class ForwardingProxy: @unchecked Sendable {
    private let server: LoopbackHTTPServer

    public init() throws {
        server = try LoopbackHTTPServer { request in Self.forward(request) }
    }

    /// `http://127.0.0.1:PORT`, what `http_proxy` or `HTTPS_PROXY` is set to.
    public var url: String { server.baseURL.absoluteString }

    /// Every request the proxy was asked, in order: `target` is the absolute URL, or `host:port` for a CONNECT.
    public var requests: [LoopbackHTTPServer.Request] { server.requests }

    public func stop() { server.stop() }

    static func forward(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        guard request.method != "CONNECT", let url = URL(string: request.target), let host = url.host, let port = url.port else {
            return LoopbackHTTPServer.Response(status: 502, text: "no tunnels here")
        }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return LoopbackHTTPServer.Response(status: 502, text: "cannot reach \(host):\(port)") }
        let passed = request.headers.filter {
            !["host", "connection", "content-length"].contains($0.name.lowercased()) && !$0.name.lowercased().hasPrefix("proxy-")
        }
        var head = "\(request.method) \(url.path.isEmpty ? "/" : url.path)\(url.query.map { "?\($0)" } ?? "") HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for field in passed { head += "\(field.name): \(field.value)\r\n" }
        head += "Content-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + Array(request.body)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var answer = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            answer += buffer[0..<count]
        }
        guard let end = answer.indices.dropLast(3).first(where: { Array(answer[$0..<$0 + 4]) == [13, 10, 13, 10] }) else {
            return LoopbackHTTPServer.Response(status: 502, text: "no answer from \(host):\(port)")
        }
        let lines = String(decoding: answer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 502
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon])
            guard !["content-length", "connection"].contains(name.lowercased()) else { return nil }
            return (name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return LoopbackHTTPServer.Response(status: status, headers: headers, body: Data(answer[(end + 4)...]))
    }
}
