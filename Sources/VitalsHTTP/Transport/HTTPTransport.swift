/// Sends one HTTP request and returns the response, whatever its status: the seam between vitals and the network.
///
/// ``CurlTransport`` is the real one; a transport never retries (``HTTPClient`` does) and never throws for an HTTP
/// status, only for an exchange that did not complete.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse
}
