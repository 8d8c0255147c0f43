import Testing
import VitalsCore

/// `channels:` and `mute_windows:` in vitals.yml.
@Suite struct ConfigAlertingTests {
    static let valid = """
        channels:
          slack-ops: {type: slack, webhook_url_env: SLACK_OPS_URL, default: true}
          pager: {type: pagerduty, routing_key_env: PD_KEY}
          mail: {type: email, url: "smtp://mail.example.com:587", from: vitals@example.com, to: [ops@example.com], rate_limit: 10/m}
        mute_windows:
          - name: weeknights
            weekdays: [monday:friday]
            times: [{start_time: "22:00", end_time: "06:00"}]
            location: Europe/Berlin
            matchers: [severity!=critical]
        """

    @Test func aValidFileLoadsEveryField() throws {
        let config = try ConfigLoader.parse(Self.valid, file: "vitals.yml", environment: [:])
        // Core reads what every channel has and keeps the rest for the type's reader (VitalsNotify's ChannelRegistry).
        #expect(config.channels.map(\.name) == ["slack-ops", "pager", "mail"])
        #expect(config.channels.map(\.type) == ["slack", "pagerduty", "email"])
        #expect(config.channels.map(\.isDefault) == [true, false, false])
        #expect(config.channels.map(\.rateLimit) == [nil, nil, TimeSpan.seconds(6)])
        #expect(try config.channels[1].settings["routing_key_env"]?.string() == "PD_KEY")
        #expect(config.channels[2].settings.path == "channels.mail")
        #expect(
            config.muteWindows == [
                MuteWindowConfig(
                    name: "weeknights", weekdays: ["monday:friday"], times: [.init(start: "22:00", end: "06:00")], location: "Europe/Berlin",
                    matchers: ["severity!=critical"])
            ])
        #expect(config.unknownChannels(["pager", "slack", "pagerduty"]) == ["slack", "pagerduty"])
    }

    static let cases: [(document: String, message: String)] = [
        ("channels:\n  ops: {webhook_url_env: X}\n", "vitals.yml:2:8: channels.ops: missing required key 'type', the kind of channel"),
        ("channels:\n  ops: {type: [slack]}\n", "vitals.yml:2:15: channels.ops.type: expected a string, found a list"),
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

/// `rate_limit:` and `routing:`; a type's default rate comes from its definition (ChannelRegistryTests).
@Suite struct ChannelRateLimitTests {
    @Test(arguments: [
        ("", TimeSpan??.none), ("rate_limit: 1/s", TimeSpan.seconds(1)), ("rate_limit: 20/m", TimeSpan.seconds(3)),
        ("rate_limit: 4/s", TimeSpan(milliseconds: 250)), ("rate_limit: none", TimeSpan??.some(nil)),
    ])
    func aRateIsReadAsTheShortestIntervalAndNoneLiftsIt(setting: String, interval: TimeSpan??) throws {
        let text = "channels:\n  ops:\n    type: slack\n    webhook_url_env: OPS\n" + (setting.isEmpty ? "" : "    \(setting)\n")
        #expect(try ConfigLoader.parse(text, file: "vitals.yml", environment: [:]).channels.first?.rateLimit == interval)
    }

    @Test(arguments: [
        ("channels:\n  ops: {type: slack, webhook_url_env: OPS, rate_limit: fast}\n",
         "vitals.yml:2:56: channels.ops.rate_limit: expected a rate such as 1/s, 20/m or 100/h, or none; found 'fast'"),
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
