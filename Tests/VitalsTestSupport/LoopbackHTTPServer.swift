public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 and a free port, for tests that speak HTTP to a stand-in for GitHub, Slack and
/// the rest: each connection is served on a thread of its own; every request is recorded; the handler decides the answer.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public let method: String
        /// The request target: path and query, as sent.
        public let target: String
        public let headers: [(name: String, value: String)]
        public let body: Data

        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        public var path: String { String(target.prefix { $0 != "?" }) }
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: Data
        /// How long the server waits before answering (a slow server), measured on the server's side.
        public var delay: Duration
        /// Leaves out `Content-Length`, so the body runs until the connection closes (a server that does not say).
        public var omitsLength = false

        public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data(), delay: Duration = .zero) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
        }

        public init(status: Int = 200, headers: [(name: String, value: String)] = [], text: String, delay: Duration = .zero) {
            self.init(status: status, headers: headers, body: Data(text.utf8), delay: delay)
        }
    }

    /// The answer to a request; nil never answers (the connection stays open until the client gives up).
    public typealias Handler = @Sendable (Request) -> Response?

    public let port: UInt16
    private let listener: Listener

    /// - Parameter keepsConnections: answer with `Connection: keep-alive` and read the next request from the same
    ///   connection, as most servers do; by default each connection carries one request.
    public init(keepsConnections: Bool = false, _ handler: @escaping Handler) throws {
        listener = try Listener(handler, keepsConnections: keepsConnections)
        port = listener.port
        // The thread holds the listener, not this server: when the test lets go of the server, deinit stops it and its
        // socket and thread end with it, so a long test run does not run out of descriptors.
        let listener = listener
        let thread = Thread { listener.acceptLoop() }
        thread.start()
    }

    deinit { listener.stop() }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Every request received so far, in order of arrival.
    public var requests: [Request] { listener.lock.withLock { listener.recorded } }

    /// Returns once no request is being answered and none arrived for 20 ms: after a client was killed, what it had sent
    /// is counted before the next client starts.
    public func waitUntilIdle() {
        var seen = -1
        while true {
            let (count, busy) = listener.lock.withLock { (listener.recorded.count, listener.inFlight > 0) }
            if !busy, count == seen { return }
            seen = count
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// The connections accepted so far.
    public var connections: Int { listener.lock.withLock { listener.accepted } }

    /// The most requests the server was answering at one time.
    public var mostConcurrentRequests: Int { listener.lock.withLock { listener.mostInFlight } }

    /// Stops accepting connections; the port is free again. Safe to call more than once.
    public func stop() { listener.stop() }

    /// The listening socket, the accepting thread's loop and what it records; shared by the server and that thread.
    private final class Listener: @unchecked Sendable {
        let port: UInt16
        private let descriptor: Int32
        private let handler: Handler
        private let keepsConnections: Bool
        let lock = NSLock()
        var accepted = 0
        /// Connections being served, which `stop()` shuts so that a client's kept connection does not hold them open.
        private var serving: Set<Int32> = []
        var recorded: [Request] = []
        var inFlight = 0
        var mostInFlight = 0
        private var stopped = false
        private let acceptLoopEnded = DispatchSemaphore(value: 0)

        init(_ handler: @escaping Handler, keepsConnections: Bool) throws {
            self.handler = handler
            self.keepsConnections = keepsConnections
            // Close-on-exec, so a program another test starts meanwhile does not inherit the socket.
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw ServerError("socket() failed: \(String(cString: strerror(errno)))") }
            var yes: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(descriptor, 128) == 0 else {
                close(descriptor)
                throw ServerError("cannot listen on 127.0.0.1")
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
            self.descriptor = descriptor
            port = UInt16(bigEndian: address.sin_port)
        }

        /// A descriptor is closed once, never a number another socket has taken since.
        func stop() {
            let wasRunning = lock.withLock {
                defer { stopped = true }
                return !stopped
            }
            guard wasRunning else { return }
            lock.withLock { for connection in serving { shutdown(connection, Int32(SHUT_RDWR)) } }
            // Only the accepting thread closes the descriptor, once accept() has returned: closing it here could let a new
            // socket take its number while that thread is about to accept on it.
            shutdown(descriptor, Int32(SHUT_RDWR))
            acceptLoopEnded.wait()
        }

        func acceptLoop() {
            defer {
                close(descriptor)
                acceptLoopEnded.signal()
            }
            while true {
                let connection = accept(descriptor, nil, nil)
                if connection >= 0 {
                    // Glibc's module has no accept4; a program started in between could still inherit it, only briefly.
                    _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                    Thread.detachNewThread { [self] in serve(connection) }
                    continue
                }
                // Only stop() ends the loop. accept() also fails for reasons that pass: a signal (EINTR), a client that
                // gave up (ECONNABORTED), or a process out of descriptors for a moment (EMFILE) while many tests run at
                // once; ending the loop there would refuse every later connection of this server's test.
                if lock.withLock({ stopped }) { return }
                usleep(errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM ? 10_000 : 1_000)
            }
        }

        private func serve(_ connection: Int32) {
            defer {
                lock.withLock { _ = serving.remove(connection) }
                close(connection)
            }
            lock.withLock {
                accepted += 1
                serving.insert(connection)
            }
            while let request = read(connection), answer(request, on: connection), keepsConnections {}
        }

        /// Answers `request`; false when the connection cannot carry another one.
        private func answer(_ request: Request, on connection: Int32) -> Bool {
            lock.withLock {
                recorded.append(request)
                inFlight += 1
                mostInFlight = max(mostInFlight, inFlight)
            }
            guard let response = handler(request) else {
                var byte: UInt8 = 0
                while recv(connection, &byte, 1, 0) > 0 {}
                lock.withLock { inFlight -= 1 }
                return false
            }
            if response.delay > .zero { Thread.sleep(forTimeInterval: Double(response.delay.components.seconds) + Double(response.delay.components.attoseconds) / 1e18) }
            // A request stops counting before its answer leaves, so a client that starts the next one on receiving it is
            // never counted twice.
            lock.withLock { inFlight -= 1 }
            var head = "HTTP/1.1 \(response.status) \(LoopbackHTTPServer.reasons[response.status] ?? "Status")\r\n"
            for field in response.headers { head += "\(field.name): \(field.value)\r\n" }
            if !response.omitsLength, !response.headers.contains(where: { $0.name.lowercased() == "content-length" }) { head += "Content-Length: \(response.body.count)\r\n" }
            head += "Connection: \(keepsConnections && !response.omitsLength ? "keep-alive" : "close")\r\n\r\n"
            let bytes = Array(head.utf8) + Array(response.body)
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard count > 0 else { return false }
                sent += count
            }
            return !response.omitsLength
        }

        private func read(_ connection: Int32) -> Request? {
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let separator: [UInt8] = [13, 10, 13, 10]
            var headerEnd: Int?
            while headerEnd == nil {
                let count = recv(connection, &buffer, buffer.count, 0)
                guard count > 0 else { return nil }
                data += buffer[0..<count]
                headerEnd = data.indices.dropLast(3).first { Array(data[$0..<$0 + 4]) == separator }
            }
            let head = String(decoding: data[0..<headerEnd!], as: UTF8.self).components(separatedBy: "\r\n")
            let requestLine = head[0].split(separator: " ")
            guard requestLine.count >= 2 else { return nil }
            let headers = head.dropFirst().compactMap { line -> (name: String, value: String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
            var body = Array(data[(headerEnd! + 4)...])
            while body.count < length {
                let count = recv(connection, &buffer, buffer.count, 0)
                guard count > 0 else { return nil }
                body += buffer[0..<count]
            }
            return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: Data(body))
        }
    }

    fileprivate static let reasons = [
        200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
        500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
    ]

    struct ServerError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
