/// Where the HTTP server listens: `HOST:PORT` (`127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`). The default is loopback
/// only; anything wider is the user's explicit `--listen`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    /// 0 picks a free port (tests).
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// 127.0.0.1:9464 (9464 is the port the Prometheus wiki's default port allocations list for vitals' kind of exporter).
    public static let `default` = ListenAddress(host: "127.0.0.1", port: 9464)

    /// Parses `HOST:PORT` or `[IPv6]:PORT`; the error says what was wrong.
    public init(parsing text: String) throws(ListenAddressError) {
        guard let colon = text.lastIndex(of: ":") else { throw ListenAddressError(text: text, reason: "expected HOST:PORT, as in 127.0.0.1:9464") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw ListenAddressError(text: text, reason: "no host; write 127.0.0.1:PORT for this machine only, or 0.0.0.0:PORT for every interface")
        }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ListenAddressError(text: text, reason: "the port must be a number from 0 to 65535")
        }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct ListenAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "--listen \(text): \(reason)" }
}
