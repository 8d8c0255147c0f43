public import Foundation
public import VitalsCore

/// Improvement tasks as GitHub issues (`type: github_issue`): one issue per firing alert, found again by a hidden marker.
///
/// ```yaml
/// channels:
///   tasks:
///     type: github_issue
///     repo: acme/shop
///     token_env: GITHUB_TOKEN          # a token that may write issues
///     labels: [vitals]                 # optional, the default; open issues with these labels are searched for the marker
///     look_at_reports: 3               # optional, the default: a report's "what to look at" item opens an issue after this many consecutive reports
///     base_url: https://api.github.com # optional (GitHub Enterprise: https://HOST/api/v3)
/// ```
public struct GitHubIssueChannelConfig: Sendable, Equatable {
    /// The `type:` this channel type answers to.
    public static let type = "github_issue"
    /// Reports an item stays in "what to look at" before it opens an issue, when `look_at_reports` is not given.
    public static let defaultLookAtReports = 3
    public static let keys = ["repo", "token_env", "labels", "look_at_reports", "base_url"]

    /// `owner/name`.
    public var repo: String
    public var tokenEnv: String
    /// How many consecutive reports an item stays in "what to look at" before it opens an issue.
    public var lookAtReports: Int
    /// Put on every issue, and what the search for an alert's issue lists (open issues with all of them).
    public var labels: [String]
    public var baseURL: URL

    public init(
        repo: String, tokenEnv: String, labels: [String] = ["vitals"], lookAtReports: Int = Self.defaultLookAtReports,
        baseURL: URL = URL(string: "https://api.github.com")!
    ) {
        self.repo = repo
        self.tokenEnv = tokenEnv
        self.lookAtReports = lookAtReports
        self.labels = labels
        self.baseURL = baseURL
    }

    public init(_ section: ConfigSection) throws(ConfigError) {
        let values = try ChannelSettings.values(section, keys: Self.keys)
        let repoNode = try ChannelSettings.required("repo", in: values, of: section, meaning: "the repository, as owner/name")
        repo = try repoNode.string()
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } }) else {
            throw repoNode.error("'\(repo)' is not a repository; expected owner/name, such as acme/shop", .invalidValue)
        }
        tokenEnv = try ChannelSettings.variable("token_env", in: values, of: section, example: "GITHUB_TOKEN")
        labels = ["vitals"]
        if let node = values["labels"] {
            labels = try node.strings()
            if let bad = labels.first(where: { $0.isEmpty || $0.contains(",") }) {
                throw node.error("'\(bad)' is not a label name (not empty, no comma)", .invalidValue)
            }
        }
        lookAtReports =
            try values["look_at_reports"].map { node throws(ConfigError) in
                try ChannelSettings.positiveCount(node, meaning: "the number of consecutive reports")
            } ?? Self.defaultLookAtReports
        baseURL = try ChannelSettings.baseURL(values["base_url"], default: "https://api.github.com")
    }
}
