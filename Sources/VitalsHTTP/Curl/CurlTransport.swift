internal import CCurl
import Foundation

/// The real transport: libcurl (the system's, `libcurl4-openssl-dev`), one easy handle per request, performed by the
/// process's one libcurl thread (``CurlMulti``), so that a transfer never occupies Swift's cooperative pool and
/// connections to a server are reused.
///
/// TLS certificates are verified; `HTTPS_PROXY`, `https_proxy`, `http_proxy`, `ALL_PROXY` and `NO_PROXY` are honoured
/// as curl reads them (``ProxySettings``, from the environment the options were made with); redirects are followed (up
/// to 5, http and https only); compressed responses are decoded. A response body larger than ``Options/maxResponseBytes``
/// fails the request instead of filling memory.
public struct CurlTransport: HTTPTransport {
    public struct Options: Sendable {
        /// The largest response body accepted (default 20 MB).
        public var maxResponseBytes: Int
        /// The timeout of a request that names none.
        public var timeout: Duration
        /// How long connecting may take.
        public var connectTimeout: Duration
        public var userAgent: String
        /// The proxies; by default the process environment's.
        public var proxy: ProxySettings

        public init(
            maxResponseBytes: Int = 20 * 1024 * 1024, timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10),
            userAgent: String = "vitals", proxy: ProxySettings = .process
        ) {
            self.maxResponseBytes = maxResponseBytes
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.userAgent = userAgent
            self.proxy = proxy
        }
    }

    public let options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        try await CurlExchange(request, options: options).perform().get()
    }
}

/// One request on one libcurl easy handle; the callbacks reach it through their context pointer.
private final class CurlExchange: CurlTransfer, @unchecked Sendable {
    let request: HTTPRequest
    let options: CurlTransport.Options
    // Touched only by the multi thread while the transfer runs.
    private var body = Data()
    private var headers: [(name: String, value: String)] = []
    private var tooLarge = false

    init(_ request: HTTPRequest, options: CurlTransport.Options) {
        self.request = request
        self.options = options
    }

    func perform() async -> Result<HTTPResponse, HTTPError> {
        let described = request.redactedDescription
        guard let scheme = request.url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failure(HTTPError(.invalidRequest, request: described, "only http and https URLs are supported"))
        }
        // libcurl adds `Expect: 100-continue` to large bodies, which costs a round trip; no server here needs it.
        let headerList = list(request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"])
        let timeout = request.timeout ?? options.timeout
        let context = Unmanaged.passUnretained(self).toOpaque()
        return await perform(
            url: request.url.absoluteString, protocols: "http,https", timeout: timeout, connectTimeout: options.connectTimeout, described: described
        ) { handle in
            vitals_curl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            vitals_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 1)
            vitals_curl_set_long(handle, CURLOPT_MAXREDIRS, 5)
            vitals_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")
            vitals_curl_set_string(handle, CURLOPT_USERAGENT, options.userAgent)
            // Set explicitly ("" is none), so libcurl does not read the process environment on its own.
            vitals_curl_set_string(handle, CURLOPT_PROXY, options.proxy.proxy(for: request.url) ?? "")
            if let noProxy = options.proxy.noProxy { vitals_curl_set_string(handle, CURLOPT_NOPROXY, noProxy) }
            vitals_curl_set_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options.maxResponseBytes))
            vitals_curl_set_list(handle, CURLOPT_HTTPHEADER, headerList)
            switch request.method.uppercased() {
            case "GET" where request.body == nil: vitals_curl_set_long(handle, CURLOPT_HTTPGET, 1)
            case "HEAD": vitals_curl_set_long(handle, CURLOPT_NOBODY, 1)
            case "POST": vitals_curl_set_long(handle, CURLOPT_POST, 1)
            default: vitals_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            }
            if let body = request.body {
                // libcurl copies the body; an empty one still needs a valid pointer, from which it reads zero bytes.
                vitals_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                (body.isEmpty ? [0] : [UInt8](body)).withUnsafeBufferPointer { bytes in
                    vitals_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress!))
                }
            }
            vitals_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
            vitals_curl_set_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                let exchange = Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue()
                return exchange.received(UnsafeRawBufferPointer(start: data, count: size * count))
            }
            vitals_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
            vitals_curl_set_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                let exchange = Unmanaged<CurlExchange>.fromOpaque(context!).takeUnretainedValue()
                exchange.receivedHeader(UnsafeRawBufferPointer(start: data, count: size * count))
                return size * count
            }
        } finish: { code, handle, message in
            self.outcome(code, handle: handle, message: message, described: described, timeout: timeout)
        }
    }

    private func outcome(_ code: CURLcode, handle: UnsafeMutableRawPointer, message detail: String, described: String, timeout: Duration) -> Result<
        HTTPResponse, HTTPError
    > {
        switch code {
        case CURLE_OK:
            var status = 0
            vitals_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(status: status, headers: HTTPHeaders(headers), body: body))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(HTTPError(.timeout, request: described, "no complete answer within \(timeout.seconds) s"))
        case CURLE_FILESIZE_EXCEEDED:
            return .failure(tooLargeError(described))
        case CURLE_WRITE_ERROR where tooLarge:
            return .failure(tooLargeError(described))
        case CURLE_ABORTED_BY_CALLBACK:
            return .failure(HTTPError(.cancelled, request: described, "cancelled"))
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .failure(HTTPError(.invalidRequest, request: described, Self.redacted(detail, request: request)))
        default:
            return .failure(HTTPError(.connection, request: described, Self.redacted(detail, request: request)))
        }
    }

    private func tooLargeError(_ described: String) -> HTTPError {
        HTTPError(.responseTooLarge, request: described, "the response is larger than the \(options.maxResponseBytes)-byte limit")
    }

    /// libcurl's messages name hosts and ports, but keep anything that might be part of the URL out all the same.
    private static func redacted(_ message: String, request: HTTPRequest) -> String {
        var text = message
        let url = request.url.absoluteString
        text = text.replacingOccurrences(of: url, with: "<url>")
        if let query = request.url.query, !query.isEmpty { text = text.replacingOccurrences(of: query, with: "…") }
        if request.urlIsSecret, request.url.path.count > 1 { text = text.replacingOccurrences(of: request.url.path, with: "/…") }
        return text
    }

    private func received(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= options.maxResponseBytes else {
            tooLarge = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    private func receivedHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // A new response (after a redirect or a 100 Continue): only the last one's headers count.
            headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Seconds as a person reads them: `30`, `0.25`.
    var seconds: String {
        let value = Double(milliseconds) / 1000
        return value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
