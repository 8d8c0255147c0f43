public import Foundation
public import VitalsCore

/// Improvement tasks as Linear issues (`type: linear_issue`): one issue per firing alert in a team, found again by a
/// hidden marker in its description.
///
/// ```yaml
/// channels:
///   linear:
///     type: linear_issue
///     team: ENG                         # the team's key
///     token_env: LINEAR_API_KEY         # a personal API key (sent as it is) or an OAuth token (Bearer …)
///     look_at_reports: 3               # optional, the default: a report's "what to look at" item opens an issue after this many consecutive reports
///     base_url: https://api.linear.app  # optional; the GraphQL endpoint is BASE/graphql
/// ```
public struct LinearIssueChannelConfig: Sendable, Equatable {
    /// The `type:` this channel type answers to.
    public static let type = "linear_issue"
    public static let keys = ["team", "token_env", "look_at_reports", "base_url"]

    /// The team's key (`ENG`), as issue identifiers show it (`ENG-123`).
    public var team: String
    public var tokenEnv: String
    /// How many consecutive reports an item stays in "what to look at" before it opens an issue.
    public var lookAtReports: Int
    public var baseURL: URL

    public init(
        team: String, tokenEnv: String, lookAtReports: Int = GitHubIssueChannelConfig.defaultLookAtReports,
        baseURL: URL = URL(string: "https://api.linear.app")!
    ) {
        self.team = team
        self.tokenEnv = tokenEnv
        self.lookAtReports = lookAtReports
        self.baseURL = baseURL
    }

    public init(_ section: ConfigSection) throws(ConfigError) {
        let values = try ChannelSettings.values(section, keys: Self.keys)
        team = try ChannelSettings.text(
            try ChannelSettings.required("team", in: values, of: section, meaning: "the team's key, such as ENG"), expected: "a team key such as ENG")
        tokenEnv = try ChannelSettings.variable("token_env", in: values, of: section, example: "LINEAR_API_KEY")
        lookAtReports =
            try values["look_at_reports"].map { node throws(ConfigError) in
                try ChannelSettings.positiveCount(node, meaning: "the number of consecutive reports")
            } ?? GitHubIssueChannelConfig.defaultLookAtReports
        baseURL = try ChannelSettings.baseURL(values["base_url"], default: "https://api.linear.app")
    }
}
