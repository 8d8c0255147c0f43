import Testing
import VitalsCore

/// `channels:` and `mute_windows:` in vitals.yml.
@Suite struct ConfigAlertingTests {
    static let valid = """
        channels:
          slack-ops: {type: slack, webhook_url_env: SLACK_OPS_URL, default: true}
          pager: {type: pagerduty, routing_key_env: PD_KEY}
          mail: {type: email, smtp_url_env: SMTP_URL, to: [ops@example.com]}
        mute_windows:
          - name: weeknights
            weekdays: [monday:friday]
            times: [{start_time: "22:00", end_time: "06:00"}]
            location: Europe/Berlin
            matchers: [severity!=critical]
        """

    @Test func aValidFileLoadsEveryField() throws {
        let config = try ConfigLoader.parse(Self.valid, file: "vitals.yml", environment: [:])
        #expect(
            config.channels == [
                ChannelConfig(name: "slack-ops", type: .slack, secretEnv: ["webhook_url_env": "SLACK_OPS_URL"], isDefault: true),
                ChannelConfig(name: "pager", type: .pagerduty, secretEnv: ["routing_key_env": "PD_KEY"]),
                ChannelConfig(name: "mail", type: .email, secretEnv: ["smtp_url_env": "SMTP_URL"], recipients: ["ops@example.com"]),
            ])
        #expect(
            config.muteWindows == [
                MuteWindowConfig(
                    name: "weeknights", weekdays: ["monday:friday"], times: [.init(start: "22:00", end: "06:00")], location: "Europe/Berlin",
                    matchers: ["severity!=critical"])
            ])
        #expect(config.unknownChannels(["pager", "slack", "pagerduty"]) == ["slack", "pagerduty"])
    }

    static let cases: [(document: String, message: String)] = [
        (
            "channels:\n  ops: {type: slak}\n",
            "vitals.yml:2:15: channels.ops.type: 'slak' is not a channel type; allowed: slack, pagerduty, webhook, email, file (did you mean 'slack'?)"
        ),
        (
            "channels:\n  ops: {type: slack}\n",
            "vitals.yml:2:8: channels.ops: missing required key 'webhook_url_env', the name of the environment variable holding the secret"
        ),
        (
            "channels:\n  ops: {type: slack, webhook_url_env: https://hooks.slack.com/x}\n",
            "vitals.yml:2:39: channels.ops.webhook_url_env: this looks like the secret itself; "
                + "give the name of the environment variable that holds it, as in SLACK_WEBHOOK_URL (the value is not repeated here)"
        ),
        (
            "channels:\n  ops: {type: slack, webhook_url_env: X, to: [a]}\n",
            "vitals.yml:2:42: unknown key 'to' in channels.ops; allowed: type, default, rate_limit, webhook_url_env"
        ),
        ("channels: [a]\n", "vitals.yml:1:11: channels: expected a mapping of channel names to settings, found a list"),
        (
            "mute_windows:\n  - name: w\n    weekdays: [monday:fryday]\n",
            "vitals.yml:3:16: mute_windows[0].weekdays[0]: 'fryday' is not a weekday; "
                + "use sunday, monday, tuesday, wednesday, thursday, friday, saturday, or a range such as monday:friday"
        ),
        (
            "mute_windows:\n  - name: w\n    times: [{start_time: \"25:00\", end_time: \"06:00\"}]\n",
            "vitals.yml:3:26: mute_windows[0].times[0].start_time: '25:00' is not a time of day; write HH:MM between 00:00 and 23:59"
        ),
        (
            "mute_windows:\n  - name: w\n    location: Mars/Olympus\n",
            "vitals.yml:3:15: mute_windows[0].location: 'Mars/Olympus' is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)"
        ),
        (
            "mute_windows:\n  - name: w\n  - name: w\n",
            "vitals.yml:3:11: mute_windows[1].name: mute window name 'w' is already used by mute_windows[0]; give each window its own name"
        ),
    ]

    @Test(arguments: cases)
    func rejectsWithPositionedMessage(document: String, message: String) {
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(document, file: "vitals.yml", environment: [:]) }
        do {
            _ = try ConfigLoader.parse(document, file: "vitals.yml", environment: [:])
        } catch {
            #expect(error.description == message)
        }
    }
}

/// `rate_limit:` on a channel: the type's default, a rate, or none.
@Suite struct ChannelRateLimitTests {
    @Test(arguments: [
        ("", TimeSpan?.some(.seconds(1))), ("rate_limit: 1/s", .seconds(1)), ("rate_limit: 20/m", .seconds(3)), ("rate_limit: 4/s", TimeSpan(milliseconds: 250)),
        ("rate_limit: none", nil),
    ])
    func aSlackChannelIsLimitedToOneMessageASecondUnlessItSaysOtherwise(setting: String, interval: TimeSpan?) throws {
        let text = "channels:\n  ops:\n    type: slack\n    webhook_url_env: OPS\n" + (setting.isEmpty ? "" : "    \(setting)\n")
        #expect(try ConfigLoader.parse(text, file: "vitals.yml", environment: [:]).channels.first?.minInterval == interval)
    }

    @Test func aFileChannelHasNoLimitAndNeedsAPath() throws {
        let config = try ConfigLoader.parse("channels:\n  log: {type: file, path: out.jsonl}\n", file: "vitals.yml", environment: [:])
        #expect(config.channels == [ChannelConfig(name: "log", type: .file, options: ["path": .string("out.jsonl")])])
        #expect(config.channels.first?.minInterval == nil)
        #expect(throws: ConfigError.self) { try ConfigLoader.parse("channels:\n  log: {type: file}\n", file: "vitals.yml", environment: [:]) }
    }

    @Test(arguments: [
        ("channels:\n  ops: {type: slack, webhook_url_env: OPS, rate_limit: fast}\n",
         "vitals.yml:2:56: channels.ops.rate_limit: expected a rate such as 1/s, 20/m or 100/h, or none; found 'fast'"),
        ("channels:\n  log: {type: file}\n", "vitals.yml:2:8: channels.log: missing required key 'path' for a channel of type file"),
        ("channels:\n  ops: {type: slack, webhook_url_env: OPS}\nrouting:\n  critical: [ops, pager]\n",
         "vitals.yml:4:13: routing.critical: no channel named 'pager' in channels:; defined: ops"),
        ("channels:\n  ops: {type: slack, webhook_url_env: OPS}\nrouting:\n  urgent: [ops]\n",
         "vitals.yml:4:3: routing: 'urgent' is not a severity; allowed: info, warning, critical"),
    ])
    func mistakesArePositioned(document: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(document, file: "vitals.yml", environment: [:]) }
        #expect(error?.description == message)
    }

    @Test func routingMapsSeveritiesToChannels() throws {
        let text = "channels:\n  ops: {type: slack, webhook_url_env: OPS}\n  pager: {type: pagerduty, routing_key_env: PD}\nrouting:\n  critical: [pager, ops]\n  warning: [ops]\n"
        #expect(try ConfigLoader.parse(text, file: "vitals.yml", environment: [:]).routing == [.critical: ["pager", "ops"], .warning: ["ops"]])
    }
}
