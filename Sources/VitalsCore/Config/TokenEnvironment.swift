/// Checks `token_env`: secrets are given only by the name of the environment variable that holds them.
enum TokenEnvironment {
    /// Prefixes of well-known token formats, so a pasted token is caught even when it happens to look like a name.
    static let secretPrefixes = [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xapp-", "sk-", "AKIA", "Bearer ",
    ]

    /// The variable name, or nil when the source has none and needs none. A value that looks like a token is
    /// rejected without printing it, so the message can go to logs safely.
    static func variable(
        _ node: ConfigNode?, of source: ConfigNode, required: Bool, environment: [String: String]
    ) throws(ConfigError) -> String? {
        guard let node else {
            guard required else { return nil }
            throw source.error("missing required key 'token_env', the name of the environment variable holding the token", .missingKey)
        }
        let name = try node.string()
        if looksLikeSecret(name) {
            throw node.error(
                "this looks like a token; secrets are given by variable name only, as in token_env: GITHUB_TOKEN, with the token in that variable",
                .invalidValue)
        }
        guard isVariableName(name) else {
            throw node.error("'\(name)' is not an environment variable name; use capitals, digits and underscores, as in GITHUB_TOKEN", .invalidValue)
        }
        if required && (environment[name] ?? "").isEmpty {
            throw node.error("environment variable \(name) is not set", .missingEnvironment)
        }
        return name
    }

    /// `[A-Z_][A-Z0-9_]*`
    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func looksLikeSecret(_ text: String) -> Bool {
        if secretPrefixes.contains(where: text.hasPrefix) { return true }
        // Long unbroken text that is not a variable name is far more likely a pasted token than a typo of a name.
        return !isVariableName(text) && text.count >= 16 && !text.contains(where: \.isWhitespace)
    }
}
