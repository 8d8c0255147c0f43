import Foundation
import VitalsCore

/// Reading a channel's settings (`channels.NAME` in `vitals.yml`): each channel type's config struct reads its own keys
/// from a ``ConfigSection`` with these helpers, so its errors carry the file, line and column like the rest of the file.
public enum ChannelSettings {
    /// The keys every channel has whatever its type, which Core's config loader reads: a type's config accepts them too.
    public static let sharedKeys = ["type", "default", "rate_limit"]

    /// The values of `section` after checking its keys: the shared ones and `keys`.
    static func values(_ section: ConfigSection, keys: [String]) throws(ConfigError) -> [String: ConfigSection] {
        try section.values(allowed: sharedKeys + keys)
    }

    /// The value of a required key.
    static func required(_ key: String, in values: [String: ConfigSection], of section: ConfigSection, meaning: String) throws(ConfigError)
        -> ConfigSection
    {
        guard let value = values[key] else { throw section.error("missing required key '\(key)', \(meaning)", .missingKey) }
        return value
    }

    /// A required `*_env` key: the name of the environment variable holding a secret.
    static func variable(_ key: String, in values: [String: ConfigSection], of section: ConfigSection, example: String) throws(ConfigError)
        -> String
    {
        let node = try required(key, in: values, of: section, meaning: "the name of the environment variable holding the secret")
        return try node.variableName(example: example)
    }

    /// A text that is not empty.
    static func text(_ node: ConfigSection, expected: String) throws(ConfigError) -> String {
        let text = try node.string()
        guard !text.allSatisfy(\.isWhitespace) else { throw node.error("expected \(expected), found an empty string", .invalidValue) }
        return text
    }

    /// A whole number of at least 1.
    static func positiveCount(_ node: ConfigSection, meaning: String) throws(ConfigError) -> Int {
        let text = try node.string()
        guard let count = Int(text), count >= 1 else {
            throw node.error("expected \(meaning), a whole number of at least 1, found '\(text)'", .invalidValue)
        }
        return count
    }

    /// An http or https URL without credentials or query (`base_url`), given an API's default.
    static func baseURL(_ node: ConfigSection?, default url: String) throws(ConfigError) -> URL {
        guard let node else { return URL(string: url)! }
        let text = try node.string()
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty,
            url.user == nil, url.password == nil, url.query == nil
        else {
            // It may hold a token: never repeated.
            throw node.error(
                "expected an http or https URL without credentials or query, such as \(url) (the value is not repeated here)", .invalidValue)
        }
        return url
    }
}
