internal import CCurl
import Foundation

extension CurlTransport: MailTransport {
    /// Sends the mail with libcurl's SMTP upload: EHLO, STARTTLS as ``MailSubmission/tls`` says (TLS certificates and host
    /// names are verified, against ``MailSubmission/caFile`` when given), AUTH when credentials are given, MAIL FROM, one RCPT TO per recipient, DATA with the message (libcurl
    /// escapes lines that start with a dot).
    public func send(_ mail: MailSubmission) async throws(HTTPError) -> MailReceipt {
        try await CurlMailExchange(mail, options: options).perform().get()
    }
}

/// One mail on one libcurl easy handle; the read callback hands libcurl the message through its context pointer.
private final class CurlMailExchange: CurlTransfer, @unchecked Sendable {
    let mail: MailSubmission
    let options: CurlTransport.Options
    private let message: [UInt8]
    // Touched only by the multi thread while the transfer runs.
    private var sent = 0

    init(_ mail: MailSubmission, options: CurlTransport.Options) {
        self.mail = mail
        self.options = options
        self.message = [UInt8](mail.message)
    }

    func perform() async -> Result<MailReceipt, HTTPError> {
        let described = mail.redactedDescription
        guard let scheme = mail.url.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps", mail.url.host != nil else {
            return .failure(HTTPError(.invalidRequest, request: described, "only smtp and smtps URLs are supported"))
        }
        guard !mail.recipients.isEmpty else { return .failure(HTTPError(.invalidRequest, request: described, "the mail has no recipient")) }
        let recipients = list(mail.recipients.map { "<\($0)>" })
        let timeout = mail.timeout ?? options.timeout
        let context = Unmanaged.passUnretained(self).toOpaque()
        let useSSL =
            switch mail.tls {
            case .required: CURLUSESSL_ALL
            case .optional: CURLUSESSL_TRY
            case .off: CURLUSESSL_NONE
            }

        return await perform(
            url: mail.url.absoluteString, protocols: "smtp,smtps", timeout: timeout, connectTimeout: options.connectTimeout, described: described
        ) { handle in
            // A proxy set for the web (`all_proxy`) is not one for mail.
            vitals_curl_set_string(handle, CURLOPT_PROXY, "")
            vitals_curl_set_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue))
            if let caFile = mail.caFile { vitals_curl_set_string(handle, CURLOPT_CAINFO, caFile) }
            vitals_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(mail.from)>")
            vitals_curl_set_list(handle, CURLOPT_MAIL_RCPT, recipients)
            if let username = mail.username { vitals_curl_set_string(handle, CURLOPT_USERNAME, username) }
            if let password = mail.password { vitals_curl_set_string(handle, CURLOPT_PASSWORD, password) }
            vitals_curl_set_long(handle, CURLOPT_UPLOAD, 1)
            vitals_curl_set_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
            vitals_curl_set_pointer(handle, CURLOPT_READDATA, context)
            vitals_curl_set_data_callback(handle, CURLOPT_READFUNCTION) { buffer, size, count, context in
                let exchange = Unmanaged<CurlMailExchange>.fromOpaque(context!).takeUnretainedValue()
                return exchange.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
            }
        } finish: { code, handle, message in
            self.outcome(code, handle: handle, message: message, described: described, timeout: timeout)
        }
    }

    private func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, message.count - sent)
        guard count > 0 else { return 0 }
        message[sent..<sent + count].withUnsafeBytes { buffer.copyMemory(from: $0) }
        sent += count
        return count
    }

    private func outcome(_ code: CURLcode, handle: UnsafeMutableRawPointer, message: String, described: String, timeout: Duration) -> Result<
        MailReceipt, HTTPError
    > {
        var reply = 0
        vitals_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &reply)
        let detail = redacted(message)
        switch code {
        case CURLE_OK:
            return .success(MailReceipt(status: reply))
        case CURLE_OPERATION_TIMEDOUT:
            return .failure(HTTPError(.timeout, request: described, "no complete answer within \(timeout.seconds) s"))
        case CURLE_ABORTED_BY_CALLBACK:
            return .failure(HTTPError(.cancelled, request: described, "cancelled"))
        case CURLE_USE_SSL_FAILED:
            return .failure(
                HTTPError(.invalidRequest, request: described, "the server does not offer STARTTLS, which this mail requires (\(detail))"))
        case CURLE_PEER_FAILED_VERIFICATION:
            // Retried: trusting the server (its certificate renewed, ca_file set) is a change outside the message.
            return .failure(HTTPError(.connection, request: described, "the server's TLS certificate was not accepted: \(detail)"))
        case CURLE_SSL_CACERT_BADFILE:
            return .failure(HTTPError(.connection, request: described, "the CA file \(mail.caFile ?? "") cannot be read: \(detail)"))
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .failure(HTTPError(.invalidRequest, request: described, detail))
        case _ where (400..<600).contains(reply):
            // The server refused a command (MAIL FROM, RCPT TO, DATA, AUTH): its reply code says whether to try again.
            return .failure(HTTPError(.status, request: described, "the server answered \(reply) (\(detail))", status: reply))
        default:
            return .failure(HTTPError(.connection, request: described, detail))
        }
    }

    /// libcurl's messages name hosts and reply codes, but keep the credentials out all the same.
    private func redacted(_ message: String) -> String {
        [mail.username, mail.password].compactMap { $0 }.filter { !$0.isEmpty }.reduce(message) { $0.replacingOccurrences(of: $1, with: "…") }
    }
}
