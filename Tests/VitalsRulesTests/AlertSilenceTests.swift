import Testing
import VitalsCore
import VitalsRules

@Suite struct AlertSilenceTests {
    static func time(_ text: String) -> Timestamp { RFC3339.parse(text)! }

    @Test func parsesAMatcherList() throws {
        let matchers = try SilenceMatcher.parseList(#"alertname=HighErrorRate, service!="a,b", team=~"core|infra",job!~test.*"#)
        #expect(matchers.map(\.description) == [#"alertname="HighErrorRate""#, #"service!="a,b""#, #"team=~"core|infra""#, #"job!~"test.*""#])
    }

    @Test(
        arguments: [
            (#"team=~"core|infra""#, ["team": "infra"], true),
            (#"team=~"core|infra""#, ["team": "infra-old"], false),
            ("job!~test.*", ["job": "testing"], false),
            ("job!~test.*", ["job": "api"], true),
            ("env!=dev", [:], true),
            ("env=", [:], true),
            ("env=dev", ["env": "dev"], true),
            ("env=dev", ["env": "prod"], false),
        ] as [(String, Labels, Bool)])
    func matcher(text: String, labels: Labels, expected: Bool) throws {
        #expect(try SilenceMatcher.parse(text).matches(labels) == expected)
    }

    @Test(arguments: [
        ("service", "invalid matcher 'service': expected name, an operator (= != =~ !~) and a value, as in service=api"),
        ("1abc=x", "invalid matcher '1abc=x': '1abc' is not a label name (letters, digits and _, not starting with a digit)"),
        ("x=~(", "invalid matcher 'x=~(': '(' is not a valid regular expression"),
    ])
    func matcherErrors(text: String, expected: String) {
        #expect {
            _ = try SilenceMatcher.parse(text)
        } throws: { error in
            (error as? SilenceMatcherError)?.description == expected
        }
    }

    @Test func silenceIsActiveFromStartUntilBeforeEnd() throws {
        let silence = Silence(
            id: "s1", matchers: try SilenceMatcher.parseList("alertname=HighErrorRate,service=api"), startsAt: Self.time("2026-11-25T08:00:00Z"),
            endsAt: Self.time("2026-11-25T10:00:00Z"), comment: "deploy", createdBy: "ana")
        let labels: Labels = ["alertname": "HighErrorRate", "service": "api", "team": "core"]
        #expect(!silence.mutes(labels, at: Self.time("2026-11-25T07:59:59Z")))
        #expect(silence.mutes(labels, at: Self.time("2026-11-25T08:00:00Z")))
        #expect(silence.mutes(labels, at: Self.time("2026-11-25T09:59:59.999Z")))
        #expect(!silence.mutes(labels, at: Self.time("2026-11-25T10:00:00Z")))
        #expect(!silence.mutes(labels.setting("service", to: "web"), at: Self.time("2026-11-25T09:00:00Z")))
    }

    static let weeknights = try! MuteWindow(
        name: "weeknights", weekdays: [WeekdayRange(parsing: "monday:friday")], times: [TimeOfDayRange(start: "22:00", end: "06:00")],
        location: "Europe/Berlin")

    @Test(arguments: [
        ("2026-11-25T20:59:00Z", false),  // Wednesday 21:59 in Berlin
        ("2026-11-25T21:00:00Z", true),  // Wednesday 22:00
        ("2026-11-26T04:59:00Z", true),  // Thursday 05:59, the night that began on Wednesday
        ("2026-11-26T05:00:00Z", false),  // Thursday 06:00, the end is exclusive
        ("2026-11-28T04:00:00Z", true),  // Saturday 05:00, the night that began on Friday
        ("2026-11-28T22:00:00Z", false),  // Saturday 23:00
        ("2026-11-29T04:00:00Z", false),  // Sunday 05:00, the night began on Saturday
        ("2026-11-30T21:30:00Z", true),  // Monday 22:30
    ])
    func muteWindowAcrossMidnight(instant: String, expected: Bool) {
        #expect(Self.weeknights.contains(Self.time(instant)) == expected)
    }

    static let saturdayNight = try! MuteWindow(
        name: "saturday-night", weekdays: [WeekdayRange(parsing: "saturday")], times: [TimeOfDayRange(start: "22:00", end: "06:00")],
        location: "Europe/Berlin")

    /// The nights of the clock changes are 7 and 9 hours long; a fixed UTC offset would get the ends wrong.
    @Test(arguments: [
        ("2026-03-28T20:59:00Z", false),  // Saturday 21:59 CET
        ("2026-03-28T21:00:00Z", true),  // Saturday 22:00 CET
        ("2026-03-29T03:59:00Z", true),  // Sunday 05:59 CEST (after the spring-forward at 02:00)
        ("2026-03-29T04:00:00Z", false),  // Sunday 06:00 CEST; CET would say 05:00
        ("2026-10-24T19:59:00Z", false),  // Saturday 21:59 CEST
        ("2026-10-24T20:00:00Z", true),  // Saturday 22:00 CEST
        ("2026-10-25T04:59:00Z", true),  // Sunday 05:59 CET (after the fall-back at 03:00); CEST would say 06:59
        ("2026-10-25T05:00:00Z", false),  // Sunday 06:00 CET
    ])
    func muteWindowAcrossDaylightSavingChanges(instant: String, expected: Bool) {
        #expect(Self.saturdayNight.contains(Self.time(instant)) == expected)
    }

    @Test func weekdayRangeMayWrapAndWindowMayBeWholeDays() throws {
        let weekend = try MuteWindow(name: "weekend", weekdays: [WeekdayRange(parsing: "Saturday:Sunday")], location: "UTC")
        #expect(weekend.contains(Self.time("2026-11-29T23:59:00Z")))
        #expect(!weekend.contains(Self.time("2026-11-30T00:00:00Z")))
        let wrap = try MuteWindow(name: "long-weekend", weekdays: [WeekdayRange(parsing: "friday:monday")], location: "UTC")
        #expect(wrap.contains(Self.time("2026-11-30T12:00:00Z")))
        #expect(!wrap.contains(Self.time("2026-11-25T12:00:00Z")))
    }

    @Test func muteWindowMatchersLimitWhatItMutes() throws {
        let window = try MuteWindow(name: "dev", location: "UTC", matchers: SilenceMatcher.parseList("env=dev"))
        let muting = AlertMuting(muteWindows: [window])
        #expect(muting.mutes(["env": "dev"], at: Self.time("2026-11-25T12:00:00Z")))
        #expect(!muting.mutes(["env": "prod"], at: Self.time("2026-11-25T12:00:00Z")))
    }

    @Test(arguments: [
        (
            "weekdays", "funday",
            "invalid mute window 'funday': 'funday' is not a weekday; use sunday, monday, tuesday, wednesday, thursday, friday, saturday, "
                + "or a range such as monday:friday"
        ),
        ("weekdays", "monday:tuesday:friday", "invalid mute window 'monday:tuesday:friday': a range has two days, as in monday:friday"),
        ("start_time", "24:00", "invalid mute window '24:00': expected a time of day HH:MM between 00:00 and 24:00"),
        ("start_time", "6:00", "invalid mute window '6:00': expected a time of day HH:MM between 00:00 and 24:00"),
        ("end_time", "24:01", "invalid mute window '24:01': expected a time of day HH:MM between 00:00 and 24:00"),
        ("location", "Mars/Olympus", "invalid mute window 'Mars/Olympus': unknown time zone; use an IANA name such as Europe/Berlin or UTC"),
    ])
    func muteWindowErrors(field: String, text: String, expected: String) {
        #expect {
            switch field {
            case "weekdays": _ = try WeekdayRange(parsing: text)
            case "start_time": _ = try TimeOfDayRange(start: text, end: "06:00")
            case "end_time": _ = try TimeOfDayRange(start: "22:00", end: text)
            default: _ = try MuteWindow(name: "x", location: text)
            }
        } throws: { error in
            (error as? MuteWindowError)?.description == expected
        }
    }

    @Test func muteWindowUntilMidnightEnd() throws {
        let evening = try MuteWindow(name: "evening", times: [TimeOfDayRange(start: "18:00", end: "24:00")], location: "UTC")
        #expect(evening.contains(Self.time("2026-11-25T23:59:00Z")))
        #expect(!evening.contains(Self.time("2026-11-26T00:00:00Z")))
        #expect(!evening.contains(Self.time("2026-11-25T17:59:00Z")))
    }
}
