public import Foundation
public import VitalsCore

/// A Slack Web API channel (`type: slack_api`): `chat.postMessage` with a bot token, to one channel; a report's thread
/// follows its first message.
///
/// ```yaml
/// channels:
///   team:
///     type: slack_api
///     token_env: SLACK_BOT_TOKEN    # xoxb-…, with the chat:write scope
///     channel: C0123456789          # a channel ID, or #name
///     base_url: https://slack.com/api   # optional
/// ```
public struct SlackAPIChannelConfig: Sendable, Equatable {
    /// The `type:` this channel type answers to.
    public static let type = "slack_api"
    public static let keys = ["token_env", "channel", "base_url"]

    public var tokenEnv: String
    /// The conversation posted to: an ID (`C0123456789`) or a name (`#ops`).
    public var channel: String
    /// Where Slack's Web API methods live (`https://slack.com/api`); a test points it at a local server.
    public var baseURL: URL

    public init(tokenEnv: String, channel: String, baseURL: URL = URL(string: "https://slack.com/api")!) {
        self.tokenEnv = tokenEnv
        self.channel = channel
        self.baseURL = baseURL
    }

    public init(_ section: ConfigSection) throws(ConfigError) {
        let values = try ChannelSettings.values(section, keys: Self.keys)
        tokenEnv = try ChannelSettings.variable("token_env", in: values, of: section, example: "SLACK_BOT_TOKEN")
        let channel = try ChannelSettings.required("channel", in: values, of: section, meaning: "the channel ID (C0123456789) or #name")
        self.channel = try ChannelSettings.text(channel, expected: "a channel ID or #name")
        baseURL = try ChannelSettings.baseURL(values["base_url"], default: "https://slack.com/api")
    }
}
