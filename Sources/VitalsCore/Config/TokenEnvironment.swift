/// Checks the keys that hold secrets: secrets are given only by the name of the environment variable that holds them,
/// and the value of such a key is never repeated in a message, whatever it looks like (a pasted token, a URL, a name).
public enum TokenEnvironment {
    /// Prefixes of well-known token formats, so a pasted token is caught even when it happens to look like a name.
    static let secretPrefixes = [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xapp-", "sk-", "AKIA", "Bearer ",
    ]

    /// Words that make a key secret-bearing wherever they appear in its name (`api_key`, `SlackWebhookURL`, `passwd`).
    static let secretWords = ["token", "secret", "passw", "webhook", "key", "credential", "cookie", "authorization"]

    /// Whether a configuration key holds a secret or the name of the variable holding one: its name contains one of
    /// ``secretWords``, is `auth` or ends in `_auth`, or ends in `_env` (every `*_env` key names a secret's variable).
    /// Such a key's value never appears in an error, a log or any output.
    public static func isSecretBearing(_ key: String) -> Bool {
        let name = key.lowercased()
        return secretWords.contains(where: name.contains) || name == "auth" || name.hasSuffix("_auth") || name.hasSuffix("_env")
    }

    /// The variable name, or nil when the source has none and needs none; `mustBeSet` (for a `required` one) rejects a
    /// variable that `environment` does not hold.
    static func variable(
        _ node: ConfigNode?, of source: ConfigNode, required: Bool, environment: [String: String], mustBeSet: Bool = true
    ) throws(ConfigError) -> String? {
        guard let node else {
            guard required else { return nil }
            throw source.error("missing required key 'token_env', the name of the environment variable holding the token", .missingKey)
        }
        let name = try variableName(node, example: "GITHUB_TOKEN")
        if required && mustBeSet && (environment[name] ?? "").isEmpty {
            throw node.error("the environment variable named here is not set", .missingEnvironment)
        }
        return name
    }

    /// The value of a secret-bearing key: an environment variable's name. A value that is not one is rejected without
    /// being repeated, so the message can go to logs safely; `example` is a name that would fit.
    static func variableName(_ node: ConfigNode, example: String) throws(ConfigError) -> String {
        let name = try node.string()
        if looksLikeSecret(name) {
            throw node.error(
                "this looks like the secret itself; give the name of the environment variable that holds it, as in \(example) "
                    + "(the value is not repeated here)", .invalidValue)
        }
        guard isVariableName(name) else {
            throw node.error(
                "expected an environment variable name in capitals, digits and underscores, as in \(example) "
                    + "(the value is not repeated here: this key names a secret)", .invalidValue)
        }
        return name
    }

    /// `[A-Z_][A-Z0-9_]*`
    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Whether a value is more likely a pasted secret than a mistyped name; it only chooses the message.
    static func looksLikeSecret(_ text: String) -> Bool {
        if secretPrefixes.contains(where: text.hasPrefix) || text.contains("://") { return true }
        // Long unbroken text that is not a variable name is far more likely a pasted token than a typo of a name.
        return !isVariableName(text) && text.count >= 16 && !text.contains(where: \.isWhitespace)
    }
}
