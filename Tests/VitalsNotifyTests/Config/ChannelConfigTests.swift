import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify

@Suite("channel settings in vitals.yml")
struct ChannelConfigTests {
    /// The section `channels.NAME` of `text`.
    func section(_ text: String, _ name: String) throws -> ConfigSection {
        try #require(try ConfigSection.parse(text, file: "vitals.yml").values(allowed: ["channels"])["channels"]?.values(allowed: [name])[name])
    }

    /// The message a section's config fails with.
    func failure(_ text: String, _ read: (ConfigSection) throws(ConfigError) -> Void) -> String {
        do {
            try read(try section(text, "c"))
            return "no error"
        } catch let error as ConfigError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test("each channel type reads its keys, defaults filled in")
    func valid() throws {
        let text = """
            channels:
              team: {type: slack_api, token_env: SLACK_BOT_TOKEN, channel: C0123}
              oncall: {type: pagerduty, routing_key_env: PD_KEY, base_url: https://events.eu.pagerduty.com, default: true}
              hooks: {type: webhook, url_env: HOOK_URL, secret_env: HOOK_SECRET, signature_header: X-Hub-Signature-256}
              mail:
                type: email
                url: smtps://mail.example.com:465
                from: vitals@example.com
                to: [a@example.com, b@example.com]
                username_env: SMTP_USERNAME
                password_env: SMTP_PASSWORD
                starttls: optional
              tasks: {type: github_issue, repo: acme/shop, token_env: GITHUB_TOKEN}
              linear: {type: linear_issue, team: ENG, token_env: LINEAR_API_KEY}
            """
        let channels = try #require(try ConfigSection.parse(text, file: "vitals.yml").values(allowed: ["channels"])["channels"])
        let all = try channels.values(allowed: ["team", "oncall", "hooks", "mail", "tasks", "linear"])
        #expect(try SlackAPIChannelConfig(all["team"]!) == SlackAPIChannelConfig(tokenEnv: "SLACK_BOT_TOKEN", channel: "C0123"))
        #expect(
            try PagerDutyChannelConfig(all["oncall"]!)
                == PagerDutyChannelConfig(routingKeyEnv: "PD_KEY", baseURL: URL(string: "https://events.eu.pagerduty.com")!))
        #expect(
            try WebhookChannelConfig(all["hooks"]!)
                == WebhookChannelConfig(urlEnv: "HOOK_URL", secretEnv: "HOOK_SECRET", signatureHeader: "X-Hub-Signature-256"))
        #expect(
            try EmailChannelConfig(all["mail"]!)
                == EmailChannelConfig(
                    url: URL(string: "smtps://mail.example.com:465")!, from: "vitals@example.com", to: ["a@example.com", "b@example.com"],
                    usernameEnv: "SMTP_USERNAME", passwordEnv: "SMTP_PASSWORD", starttls: .optional))
        #expect(
            try GitHubIssueChannelConfig(all["tasks"]!) == GitHubIssueChannelConfig(repo: "acme/shop", tokenEnv: "GITHUB_TOKEN", labels: ["vitals"]))
        #expect(try LinearIssueChannelConfig(all["linear"]!) == LinearIssueChannelConfig(team: "ENG", tokenEnv: "LINEAR_API_KEY"))
        #expect(try EmailChannelConfig(section("channels:\n  c: {url: 'smtp://h:25', from: a@b.c, to: x@y.z}", "c")).starttls == .required)
    }

    @Test(
        "mistakes are reported at their line and column, naming the key and what would be right",
        arguments: [
            (
                "channels:\n  c: {type: slack_api, channel: C1}",
                "vitals.yml:2:6: channels.c: missing required key 'token_env', the name of the environment variable holding the secret"
            ),
            (
                "channels:\n  c: {type: slack_api, token_env: xoxb-123-456, channel: C1}",
                "vitals.yml:2:35: channels.c.token_env: this looks like the secret itself; give the name of the environment variable that holds it, as in SLACK_BOT_TOKEN (the value is not repeated here)"
            ),
            (
                "channels:\n  c: {type: slack_api, token_env: T, channel: C1, chanel: x}",
                "vitals.yml:2:51: unknown key 'chanel' in channels.c; allowed: type, default, rate_limit, token_env, channel, base_url (did you mean 'channel'?)"
            ),
        ])
    func slack(text: String, expected: String) {
        #expect(failure(text) { section throws(ConfigError) in _ = try SlackAPIChannelConfig(section) } == expected)
    }

    @Test("a URL with a token or credentials is refused without being repeated")
    func urls() {
        let pagerduty = failure("channels:\n  c: {routing_key_env: K, base_url: 'https://x.example.com/?token=SECRET1'}") {
            section throws(ConfigError) in
            _ = try PagerDutyChannelConfig(section)
        }
        #expect(pagerduty.hasPrefix("vitals.yml:2:37: channels.c.base_url: expected an http or https URL without credentials or query"))
        #expect(!pagerduty.contains("SECRET1"))
        let email = failure("channels:\n  c: {url: 'smtp://user:SECRET2@mail.example.com', from: a@b.c, to: x@y.z}") { section throws(ConfigError) in
            _ = try EmailChannelConfig(section)
        }
        #expect(email.hasPrefix("vitals.yml:2:12: channels.c.url: expected an smtp:// or smtps:// URL without credentials"))
        #expect(!email.contains("SECRET2"))
    }

    @Test(
        "email: addresses, STARTTLS policy and credentials in pairs are checked",
        arguments: [
            (
                "{url: 'smtp://h', from: 'not an address', to: x@y.z}",
                "vitals.yml:2:30: channels.c.from: 'not an address' is not an email address such as team@example.com"
            ),
            (
                "{url: 'smtp://h', from: a@b.c, to: [x@y.z, 'bad\"addr@y.z']}",
                "vitals.yml:2:49: channels.c.to[1]: 'bad\"addr@y.z' is not an email address such as team@example.com"
            ),
            (
                "{url: 'smtp://h', from: a@b.c, to: x@y.z, starttls: maybe}",
                "vitals.yml:2:58: channels.c.starttls: 'maybe' is not a STARTTLS policy; allowed: required, optional, off"
            ),
            (
                "{url: 'smtp://h', from: a@b.c, to: x@y.z, username_env: U}",
                "vitals.yml:2:6: channels.c: username_env and password_env go together: give both, or neither for a server without AUTH"
            ),
            (
                "{url: 'http://h', from: a@b.c, to: x@y.z}",
                "vitals.yml:2:12: channels.c.url: expected an smtp:// or smtps:// URL without credentials, such as smtp://mail.example.com:587; credentials go in username_env and password_env (the value is not repeated here)"
            ),
        ])
    func email(settings: String, expected: String) {
        #expect(failure("channels:\n  c: \(settings)") { section throws(ConfigError) in _ = try EmailChannelConfig(section) } == expected)
    }

    @Test("github_issue: repo as owner/name; webhook: a header name")
    func others() {
        #expect(
            failure("channels:\n  c: {repo: acme, token_env: T}") { section throws(ConfigError) in _ = try GitHubIssueChannelConfig(section) }
                == "vitals.yml:2:13: channels.c.repo: 'acme' is not a repository; expected owner/name, such as acme/shop")
        #expect(
            failure("channels:\n  c: {url_env: U, signature_header: 'X Sig'}") { section throws(ConfigError) in _ = try WebhookChannelConfig(section)
            }
                == "vitals.yml:2:37: channels.c.signature_header: 'X Sig' is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)")
        #expect(
            failure("channels:\n  c: {token_env: T}") { section throws(ConfigError) in _ = try LinearIssueChannelConfig(section) }
                == "vitals.yml:2:6: channels.c: missing required key 'team', the team's key, such as ENG")
    }
}
