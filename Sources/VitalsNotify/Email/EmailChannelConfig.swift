public import Foundation
public import VitalsCore
public import VitalsHTTP

/// Mail over SMTP (`type: email`), through libcurl: STARTTLS required unless configured otherwise, AUTH when credentials
/// are given.
///
/// ```yaml
/// channels:
///   mail:
///     type: email
///     url: smtp://mail.example.com:587     # or smtps://mail.example.com:465 (TLS from the start)
///     from: vitals@example.com
///     to: [team@example.com]
///     username_env: SMTP_USERNAME          # optional, with password_env
///     password_env: SMTP_PASSWORD
///     starttls: required                   # required (default), optional, off
///     ca_file: certs/mail-ca.pem           # optional: trust this CA (PEM) instead of the system's
/// ```
public struct EmailChannelConfig: Sendable, Equatable {
    /// The `type:` this channel type answers to.
    public static let type = "email"
    public static let keys = ["url", "from", "to", "username_env", "password_env", "starttls", "ca_file"]

    public var url: URL
    public var from: String
    public var to: [String]
    public var usernameEnv: String?
    public var passwordEnv: String?
    public var starttls: MailSubmission.TLSPolicy
    /// A PEM file of the certificate authorities to trust for the server's certificate instead of the system's (a private
    /// CA); relative to the configuration's folder.
    public var caFile: String?

    public init(
        url: URL, from: String, to: [String], usernameEnv: String? = nil, passwordEnv: String? = nil, starttls: MailSubmission.TLSPolicy = .required,
        caFile: String? = nil
    ) {
        self.url = url
        self.from = from
        self.to = to
        self.usernameEnv = usernameEnv
        self.passwordEnv = passwordEnv
        self.starttls = starttls
        self.caFile = caFile
    }

    public init(_ section: ConfigSection) throws(ConfigError) {
        let values = try ChannelSettings.values(section, keys: Self.keys)
        let urlNode = try ChannelSettings.required("url", in: values, of: section, meaning: "the SMTP server, such as smtp://mail.example.com:587")
        let text = try urlNode.string()
        guard let url = URL(string: text), ["smtp", "smtps"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty,
            url.user == nil, url.password == nil, url.query == nil
        else {
            // It may hold a password: never repeated.
            throw urlNode.error(
                "expected an smtp:// or smtps:// URL without credentials, such as smtp://mail.example.com:587; credentials go in "
                    + "username_env and password_env (the value is not repeated here)", .invalidValue)
        }
        self.url = url
        from = try Self.address(try ChannelSettings.required("from", in: values, of: section, meaning: "the sender's address"))
        let toNode = try ChannelSettings.required("to", in: values, of: section, meaning: "the recipients' addresses")
        to = []
        for item in try toNode.items() { to.append(try Self.address(item)) }
        guard !to.isEmpty else { throw toNode.error("expected at least one address, found an empty list", .invalidValue) }
        usernameEnv = try values["username_env"]?.variableName(example: "SMTP_USERNAME")
        passwordEnv = try values["password_env"]?.variableName(example: "SMTP_PASSWORD")
        if (usernameEnv == nil) != (passwordEnv == nil) {
            throw section.error("username_env and password_env go together: give both, or neither for a server without AUTH", .missingKey)
        }
        starttls = .required
        if let node = values["starttls"] {
            let text = try node.string()
            let allowed = MailSubmission.TLSPolicy.allCases.map(\.rawValue)
            guard let policy = MailSubmission.TLSPolicy(rawValue: text) else {
                throw node.error("'\(text)' is not a STARTTLS policy; allowed: \(allowed.joined(separator: ", "))", .invalidValue)
            }
            starttls = policy
        }
        if let node = values["ca_file"] {
            let path = try node.string()
            guard !path.isEmpty else { throw node.error("expected the path of a PEM file of CA certificates, found an empty string", .invalidValue) }
            caFile = path
        }
    }

    /// A bare address (`name@example.com`): something an SMTP envelope and a header can carry as it is.
    static func address(_ node: ConfigSection) throws(ConfigError) -> String {
        let text = try node.string()
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            text.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
        else {
            throw node.error("'\(text)' is not an email address such as team@example.com", .invalidValue)
        }
        return text
    }
}
