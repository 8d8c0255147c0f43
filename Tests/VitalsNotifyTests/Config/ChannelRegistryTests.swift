import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// From `channels:` in vitals.yml to each type's notifier: Core reads the common keys, the registry the type's own.
@Suite(.timeLimit(.minutes(1))) struct ChannelRegistryTests {
    static let everyType = """
        channels:
          ops: {type: slack, webhook_url_env: OPS_WEBHOOK, default: true}
          team: {type: slack_api, token_env: SLACK_BOT_TOKEN, channel: C0123}
          oncall: {type: pagerduty, routing_key_env: PD_KEY, base_url: https://events.eu.pagerduty.com}
          hooks: {type: webhook, url_env: HOOK_URL, secret_env: HOOK_SECRET}
          mail:
            type: email
            url: smtp://mail.example.com:587
            from: vitals@example.com
            to: [a@example.com, b@example.com]
            username_env: SMTP_USERNAME
            password_env: SMTP_PASSWORD
            starttls: optional
            rate_limit: 10/m
          tasks: {type: github_issue, repo: acme/shop, token_env: GITHUB_TOKEN, labels: [vitals, health]}
          linear: {type: linear_issue, team: ENG, token_env: LINEAR_API_KEY}
          log: {type: file, path: out/sent.jsonl}
        """

    static func channels(_ text: String) throws -> [ConfiguredChannel] {
        try ChannelRegistry.channels(in: try ConfigLoader.parse(text, file: "vitals.yml", environment: [:], sourceTypes: []))
    }

    /// The message loading `text` fails with.
    static func failure(_ text: String) -> String {
        do {
            _ = try channels(text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func everyTypeLoadsIntoItsNotifierWithItsSettings() throws {
        let channels = try Self.channels(Self.everyType)
        #expect(channels.map(\.name) == ["ops", "team", "oncall", "hooks", "mail", "tasks", "linear", "log"])
        #expect(Set(channels.map(\.definition.type)) == Set(ChannelRegistry.definitions.map(\.type)))
        let context = NotifierContext(root: URL(fileURLWithPath: "/srv/vitals"), environment: [:])
        let notifiers = channels.map { $0.notifier(context) }
        #expect(notifiers.map(\.channel) == channels.map(\.name))
        #expect((notifiers[0] as? SlackWebhookChannel)?.webhookURLEnv == "OPS_WEBHOOK")
        #expect((notifiers[1] as? SlackAPINotifier)?.config == SlackAPIChannelConfig(tokenEnv: "SLACK_BOT_TOKEN", channel: "C0123"))
        #expect(
            (notifiers[2] as? PagerDutyNotifier)?.config
                == PagerDutyChannelConfig(routingKeyEnv: "PD_KEY", baseURL: URL(string: "https://events.eu.pagerduty.com")!))
        #expect((notifiers[3] as? WebhookNotifier)?.config == WebhookChannelConfig(urlEnv: "HOOK_URL", secretEnv: "HOOK_SECRET"))
        #expect(
            (notifiers[4] as? EmailNotifier)?.config
                == EmailChannelConfig(
                    url: URL(string: "smtp://mail.example.com:587")!, from: "vitals@example.com", to: ["a@example.com", "b@example.com"],
                    usernameEnv: "SMTP_USERNAME", passwordEnv: "SMTP_PASSWORD", starttls: .optional))
        #expect(
            (notifiers[5] as? GitHubIssueNotifier)?.config
                == GitHubIssueChannelConfig(repo: "acme/shop", tokenEnv: "GITHUB_TOKEN", labels: ["vitals", "health"]))
        #expect((notifiers[6] as? LinearIssueNotifier)?.config == LinearIssueChannelConfig(team: "ENG", tokenEnv: "LINEAR_API_KEY"))
        #expect((notifiers[7] as? FileChannel)?.path == "/srv/vitals/out/sent.jsonl")
        // Slack webhooks default to one message a second; `rate_limit` sets any channel's.
        #expect(channels.map(\.minInterval) == [.seconds(1), nil, nil, nil, .seconds(6), nil, nil, nil])
    }

    @Test func rateLimitNoneLiftsATypesDefault() throws {
        let channels = try Self.channels("channels:\n  ops: {type: slack, webhook_url_env: OPS, rate_limit: none}\n")
        #expect(channels.map(\.minInterval) == [nil])
    }

    static let mistakes: [(document: String, message: String)] = [
        (
            "channels:\n  ops: {type: slak}\n",
            "vitals.yml:2:15: channels.ops.type: 'slak' is not a channel type; allowed: slack, slack_api, pagerduty, webhook, email, "
                + "github_issue, linear_issue, file (did you mean 'slack'?)"
        ),
        (
            "channels:\n  oncall: {type: pagerduty, routing_kye_env: PD_KEY}\n",
            "vitals.yml:2:29: unknown key 'routing_kye_env' in channels.oncall; allowed: type, default, rate_limit, routing_key_env, base_url "
                + "(did you mean 'routing_key_env'?)"
        ),
        (
            "channels:\n  oncall:\n    type: pagerduty\n",
            "vitals.yml:3:5: channels.oncall: missing required key 'routing_key_env', the name of the environment variable holding the secret"
        ),
        (
            "channels:\n  mail: {type: email, smtp_url_env: SMTP_URL, to: [ops@example.com]}\n",
            "vitals.yml:2:23: unknown key 'smtp_url_env' in channels.mail; allowed: type, default, rate_limit, url, from, to, username_env, "
                + "password_env, starttls, ca_file"
        ),
        (
            "channels:\n  tasks: {type: github_issue, repo: shop, token_env: GITHUB_TOKEN}\n",
            "vitals.yml:2:37: channels.tasks.repo: 'shop' is not a repository; expected owner/name, such as acme/shop"
        ),
        (
            "channels:\n  ops: {type: slack, webhook_url_env: https://hooks.slack.com/x}\n",
            "vitals.yml:2:39: channels.ops.webhook_url_env: this looks like the secret itself; "
                + "give the name of the environment variable that holds it, as in SLACK_WEBHOOK_URL (the value is not repeated here)"
        ),
        ("channels:\n  log: {type: file}\n", "vitals.yml:2:8: channels.log: missing required key 'path', the file to append to"),
    ]

    @Test(arguments: mistakes)
    func mistakesArePositionedWhenTheConfigurationLoads(document: String, message: String) {
        #expect(Self.failure(document) == message)
    }

    /// A value pasted where a variable name belongs, under any type's `*_env` key, is refused without being repeated.
    @Test(arguments: ["xoxb-1234-5678-abcdef", "https://hooks.slack.com/services/T0/B0/Zz9", "p@ss w0rd!", "hunter2"])
    func noSecretIsRepeated(value: String) throws {
        let documents = [
            "ops: {type: slack, webhook_url_env: \"\(value)\"}", "t: {type: slack_api, channel: C1, token_env: \"\(value)\"}",
            "p: {type: pagerduty, routing_key_env: \"\(value)\"}", "h: {type: webhook, url_env: \"\(value)\"}",
            "h: {type: webhook, url_env: U, secret_env: \"\(value)\"}",
            "m: {type: email, url: \"smtp://m.example.com\", from: a@example.com, to: b@example.com, username_env: U, password_env: \"\(value)\"}",
            "g: {type: github_issue, repo: a/b, token_env: \"\(value)\"}", "l: {type: linear_issue, team: ENG, token_env: \"\(value)\"}",
        ]
        for document in documents {
            let message = Self.failure("channels:\n  \(document)\n")
            #expect(message.hasPrefix("vitals.yml:2:"), "\(message)")
            #expect(!message.contains(value), "\(message)")
        }
    }

    /// vitals.yml to PagerDuty's door: the registry's dispatcher delivers a queued alert through the configured channel
    /// to a stand-in that answers as the Events API v2 does, with the routing key read from the environment at delivery.
    @Test func aPagerDutyChannelConfiguredInVitalsYmlDeliversThroughTheOutbox() async throws {
        let server = try LoopbackHTTPServer { request in
            let key = Messages.object(request.body)["dedup_key"] as? String ?? ""
            return .init(status: 202, body: Messages.json(["status": "success", "message": "Event processed", "dedup_key": key]))
        }
        let text = "channels:\n  oncall: {type: pagerduty, routing_key_env: PD_KEY, base_url: \"\(server.baseURL.absoluteString)\"}\n"
            + "routing:\n  critical: [oncall]\n"
        let config = try ConfigLoader.parse(text, file: "vitals.yml", environment: [:], sourceTypes: [])
        let store = try await SQLiteMetricStore.inMemory(timeZone: TimeZone(identifier: "UTC")!, retention: .days(400))
        let message = Messages.alertMessage(.firing, severity: .critical)
        _ = try await store.enqueue(key: "a1", payload: .alert(message), channels: [], at: Messages.at, force: false)
        let dispatcher = ChannelRegistry.dispatcher(
            config: config, channels: try ChannelRegistry.channels(in: config), store: store,
            context: NotifierContext(environment: ["PD_KEY": "R0UTINGKEY0123"]), now: { Messages.at })
        let summary = try await dispatcher.dispatchDue()
        #expect(summary.delivered == 1 && summary.dead.isEmpty)
        #expect(server.requests.map(\.path) == ["/v2/enqueue"])
        let event = Messages.object(try #require(server.requests.first).body)
        #expect(event["routing_key"] as? String == "R0UTINGKEY0123")
        #expect(event["event_action"] as? String == "trigger")
        #expect(event["dedup_key"] as? String == message.fingerprint)
    }
}
