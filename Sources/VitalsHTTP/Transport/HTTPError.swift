/// Why an HTTP exchange failed, in words a user can act on; never the secrets of the request (its query, its headers,
/// or the whole URL when the URL is a secret).
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; a struct over a private enum so kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidRequest, connection, timeout, responseTooLarge, cancelled, status
        }

        private let value: Value

        /// The request cannot be sent as it is (an unsupported scheme, a malformed URL).
        public static let invalidRequest = Code(value: .invalidRequest)
        /// No connection: the name did not resolve, the connection was refused or reset, TLS failed.
        public static let connection = Code(value: .connection)
        /// The exchange took longer than its timeout.
        public static let timeout = Code(value: .timeout)
        /// The response body was larger than the transport's limit.
        public static let responseTooLarge = Code(value: .responseTooLarge)
        /// The task waiting for the response was cancelled.
        public static let cancelled = Code(value: .cancelled)
        /// The server answered with a status the caller does not accept (``HTTPClient`` after its retries).
        public static let status = Code(value: .status)

        public var description: String { value.rawValue }
    }

    public let code: Code
    /// The request as ``HTTPRequest/redactedDescription`` shows it.
    public let request: String
    /// What happened, without the request.
    public let detail: String
    /// The HTTP status, for ``Code/status``.
    public let status: Int?

    public init(_ code: Code, request: String, _ detail: String, status: Int? = nil) {
        self.code = code
        self.request = request
        self.detail = detail
        self.status = status
    }

    /// `GET https://api.github.com/repos/o/n/pulls: timed out after 30 s`.
    public var description: String { "\(request): \(detail)" }

    /// Whether trying again may succeed: connection failures, timeouts, 5xx and 429.
    public var isTransient: Bool {
        switch code {
        case .connection, .timeout: true
        case .status: status.map { $0 == 429 || $0 >= 500 } ?? false
        default: false
        }
    }
}
