public import VitalsCore

/// A generic webhook (`type: webhook`): every message POSTed as JSON (the schema is in `docs/channels.md`), signed with
/// HMAC-SHA256 when a secret is configured.
///
/// ```yaml
/// channels:
///   hooks:
///     type: webhook
///     url_env: VITALS_WEBHOOK_URL           # the URL is a secret: it often carries a token
///     secret_env: VITALS_WEBHOOK_SECRET     # optional: sign each body
///     signature_header: X-Vitals-Signature  # optional, the default
/// ```
public struct WebhookChannelConfig: Sendable, Equatable {
    /// The `type:` this channel type answers to.
    public static let type = "webhook"
    public static let keys = ["url_env", "secret_env", "signature_header"]
    public static let defaultSignatureHeader = "X-Vitals-Signature"

    public var urlEnv: String
    public var secretEnv: String?
    /// The header carrying `sha256=<hex of the HMAC-SHA256 of the body>`.
    public var signatureHeader: String

    public init(urlEnv: String, secretEnv: String? = nil, signatureHeader: String = WebhookChannelConfig.defaultSignatureHeader) {
        self.urlEnv = urlEnv
        self.secretEnv = secretEnv
        self.signatureHeader = signatureHeader
    }

    public init(_ section: ConfigSection) throws(ConfigError) {
        let values = try ChannelSettings.values(section, keys: Self.keys)
        urlEnv = try ChannelSettings.variable("url_env", in: values, of: section, example: "VITALS_WEBHOOK_URL")
        secretEnv = try values["secret_env"]?.variableName(example: "VITALS_WEBHOOK_SECRET")
        signatureHeader = Self.defaultSignatureHeader
        if let node = values["signature_header"] {
            let name = try node.string()
            // RFC 9110's token characters: anything else would break the request's header block.
            let allowed = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            guard !name.isEmpty, name.allSatisfy(allowed.contains) else {
                throw node.error("'\(name)' is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)", .invalidValue)
            }
            signatureHeader = name
        }
    }
}
