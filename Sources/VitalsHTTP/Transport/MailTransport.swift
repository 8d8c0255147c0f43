public import Foundation

/// Sends one mail over SMTP and says what the server answered: the seam between the email channel and the network.
///
/// ``CurlTransport`` is the real one, the same transport that speaks HTTP. It throws ``HTTPError`` for an exchange that
/// did not complete, and with ``HTTPError/Code/status`` and the SMTP reply code in `status` when the server refused the
/// mail (`550` for an unknown recipient, `451` for a temporary failure).
public protocol MailTransport: Sendable {
    func send(_ mail: MailSubmission) async throws(HTTPError) -> MailReceipt
}

/// One mail as handed to an SMTP server: the envelope (sender, recipients) and the message, whose headers and body the
/// caller writes with CRLF line endings. Lines starting with a dot are escaped on the way (SMTP's dot-stuffing).
public struct MailSubmission: Sendable {
    /// `smtp://host:port` (upgraded with STARTTLS as ``tls`` says) or `smtps://host:port` (TLS from the start).
    public var url: URL
    public var from: String
    public var recipients: [String]
    public var message: Data
    /// Credentials for SMTP AUTH; never in a message.
    public var username: String?
    public var password: String?
    public var tls: TLSPolicy
    /// A PEM file of the certificate authorities that may sign the server's certificate, instead of the system's; nil
    /// trusts the system's. The certificate and its host name are verified either way.
    public var caFile: String?
    /// How long the whole exchange may take; nil takes the transport's default.
    public var timeout: Duration?

    /// Whether an `smtp://` connection must be upgraded with STARTTLS before the mail is sent.
    public enum TLSPolicy: String, Sendable, CaseIterable {
        /// STARTTLS or no mail: a server that does not offer it fails the request (``HTTPError/Code/invalidRequest``).
        case required
        /// STARTTLS when the server offers it, plain text otherwise.
        case optional
        /// Plain text (a relay on the same host).
        case off
    }

    public init(
        url: URL, from: String, recipients: [String], message: Data, username: String? = nil, password: String? = nil,
        tls: TLSPolicy = .required, caFile: String? = nil, timeout: Duration? = nil
    ) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.message = message
        self.username = username
        self.password = password
        self.tls = tls
        self.caFile = caFile
        self.timeout = timeout
    }

    /// The server as messages may show it: scheme, host and port.
    public var redactedDescription: String {
        var components = URLComponents()
        components.scheme = url.scheme
        components.host = url.host
        components.port = url.port
        return "SMTP \(components.string ?? "<server>")"
    }
}

/// The server's answer to a mail it accepted.
public struct MailReceipt: Sendable, Equatable {
    /// The last SMTP reply code (`250`).
    public let status: Int

    public init(status: Int) {
        self.status = status
    }
}
