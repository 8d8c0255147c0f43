import Foundation
import Testing
import VitalsCore
import VitalsTestSupport

/// The zone names the system's tzdata knows: every zone of zone1970.tab, and every zone and link (the `backward` aliases
/// among them) of tzdata.zi, the compiled source Debian ships in place of the `backward` file.
enum SystemZoneNames {
    static let folder = "/usr/share/zoneinfo"

    static let all: [String] = {
        var names = Set<String>()
        if let table = try? String(contentsOfFile: "\(folder)/zone1970.tab", encoding: .utf8) {
            for line in table.split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t")
                if fields.count >= 3 { names.insert(String(fields[2])) }
            }
        }
        if let source = try? String(contentsOfFile: "\(folder)/tzdata.zi", encoding: .utf8) {
            for line in source.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.first == "Z", fields.count > 1 { names.insert(String(fields[1])) }
                if fields.first == "L", fields.count > 2 { names.insert(String(fields[2])) }
            }
        }
        return names.sorted()
    }()
}

@Suite struct LocalDaysTests {
    static func at(_ text: String) -> Timestamp { RFC3339.parse(text)! }

    /// Days around a change at local midnight, whose first day starts at 01:00. The starts are Python zoneinfo's (the
    /// first second whose local date is the day's, over the system's tzdata).
    @Test(arguments: [
        (
            "America/Santiago", "2024-09-06T12:00:00Z",
            ["2024-09-06T04:00:00Z", "2024-09-07T04:00:00Z", "2024-09-08T04:00:00Z", "2024-09-09T03:00:00Z", "2024-09-10T03:00:00Z"]
        ),
        (
            "America/Havana", "2024-03-08T12:00:00Z",
            ["2024-03-08T05:00:00Z", "2024-03-09T05:00:00Z", "2024-03-10T05:00:00Z", "2024-03-11T04:00:00Z", "2024-03-12T04:00:00Z"]
        ),
        (
            "America/Asuncion", "2023-09-29T12:00:00Z",
            ["2023-09-29T04:00:00Z", "2023-09-30T04:00:00Z", "2023-10-01T04:00:00Z", "2023-10-02T03:00:00Z", "2023-10-03T03:00:00Z"]
        ),
        (
            "Africa/Cairo", "2023-04-26T12:00:00Z",
            ["2023-04-25T22:00:00Z", "2023-04-26T22:00:00Z", "2023-04-27T22:00:00Z", "2023-04-28T21:00:00Z", "2023-04-29T21:00:00Z"]
        ),
        (
            "Asia/Tehran", "2022-03-20T12:00:00Z",
            ["2022-03-19T20:30:00Z", "2022-03-20T20:30:00Z", "2022-03-21T20:30:00Z", "2022-03-22T19:30:00Z", "2022-03-23T19:30:00Z"]
        ),
        (
            "America/Sao_Paulo", "2018-11-02T12:00:00Z",
            ["2018-11-02T03:00:00Z", "2018-11-03T03:00:00Z", "2018-11-04T03:00:00Z", "2018-11-05T02:00:00Z", "2018-11-06T02:00:00Z"]
        ),
    ])
    func aDayAfterAChangeAtMidnightStartsAtMidnightAgain(zone: String, first: String, starts: [String]) throws {
        let days = LocalDays(try #require(TimeZone(ianaName: zone)))
        let period = Period(from: Self.at(first), to: Self.at(starts[starts.count - 1]).adding(.hours(1)))
        #expect(days.starts(of: period).map(\.description) == starts)
        #expect(
            days.starts(from: period.from, through: Self.at(starts[4])).map(\.description) == starts + [
                days.nextStart(after: Self.at(starts[4])).description
            ])
        // Stepping back and jumping by several days land on the same starts.
        #expect(days.previousStart(before: Self.at(starts[4])).description == starts[3])
        #expect(days.previousStart(before: Self.at(starts[3])).description == starts[2])
        #expect(days.start(4, daysAfter: Self.at(first)).description == starts[4])
        #expect(days.start(-2, daysAfter: Self.at(starts[4])).description == starts[2])
        // A commit at 00:30 on the day after the change is on that day, not the one before.
        #expect(days.start(of: Self.at(starts[3]).adding(.minutes(30))).description == starts[3])
    }

    /// Where clocks went back across midnight, the local date runs backwards for a while; days still follow one another
    /// without overlap, and every instant lies in exactly one (swept every 10 minutes over two days around the change).
    @Test(arguments: [
        ("America/St_Johns", "1990-10-28T02:31:00Z"), ("America/Goose_Bay", "1995-10-29T03:01:00Z"), ("America/Moncton", "2005-10-30T03:01:00Z"),
        ("Antarctica/Casey", "2010-03-04T15:00:00Z"),
    ])
    func daysDoNotOverlapWhereClocksGoBackAcrossMidnight(zone: String, change: String) throws {
        let days = LocalDays(try #require(TimeZone(ianaName: zone)))
        var previous: Timestamp?
        for step in Int64(-144)...144 {
            let instant = Self.at(change).adding(.minutes(step * 10))
            let start = days.start(of: instant)
            let next = days.nextStart(after: instant)
            #expect(start <= instant && instant < next, "\(zone) \(instant): [\(start), \(next))")
            #expect(days.start(of: next) == next && days.previousStart(before: next) == start, "\(zone) \(instant)")
            if let previous { #expect(previous <= start, "\(zone) \(instant): day starts went back from \(previous) to \(start)") }
            previous = start
        }
    }

    /// For random instants over 1970–2040 in every zone the system's tzdata knows, half of them within a day and a half
    /// of a clock change: the day holding an instant contains it and starts at that local date's first instant.
    @Test func everyInstantLiesInTheDayOfItsLocalDateInEveryZone() throws {
        let zones = SystemZoneNames.all
        try #require(zones.count > 400, "the system's tzdata lists \(zones.count) zones")
        var random = SplitMix64(seed: 7)
        let (lowest, highest) = (Int64(0), Self.at("2040-12-31T00:00:00Z").milliseconds)
        var failures: [String] = []
        for name in zones {
            let zone = try #require(TimeZone(ianaName: name), "\(name)")
            var calendar = Calendar(identifier: .gregorian)
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            calendar.timeZone = zone
            let days = LocalDays(zone)
            func date(_ instant: Timestamp) -> DateComponents { calendar.dateComponents([.year, .month, .day], from: instant.date) }
            func isBefore(_ a: DateComponents, _ b: DateComponents) -> Bool { (a.year!, a.month!, a.day!) < (b.year!, b.month!, b.day!) }
            for sample in 0..<16 {
                var instant = Timestamp(milliseconds: Int64.random(in: lowest..<highest, using: &random))
                if sample % 2 == 1, let change = zone.nextDaylightSavingTimeTransition(after: instant.date),
                    change.timeIntervalSince1970 < 2_240_000_000
                {
                    instant = Timestamp(change).adding(TimeSpan(milliseconds: Int64.random(in: -129_600_000..<129_600_000, using: &random)))
                }
                let start = days.start(of: instant)
                let next = days.nextStart(after: instant)
                let day = date(start)
                var problems: [String] = []
                if !(start <= instant && instant < next) { problems.append("not in [\(start), \(next))") }
                if !isBefore(date(start.subtracting(.seconds(1))), day) { problems.append("the second before \(start) is on the same date") }
                if !isBefore(day, date(next)) { problems.append("the next day \(next) is not on a later date") }
                // Only where clocks go back across midnight (America/St_Johns' 00:01 changes until 2011) can an instant's date
                // be earlier than its day's, and only after the change.
                if date(instant) != day,
                    !(isBefore(date(instant), day) && zone.secondsFromGMT(for: instant.date) < zone.secondsFromGMT(for: start.date))
                {
                    problems.append("its local date differs from the day's")
                }
                if days.previousStart(before: next) != start || days.start(1, daysAfter: start) != next { problems.append("stepping disagrees") }
                // Jumping k calendar days lands on the start of the date k days on (or, where that date was skipped, the next one).
                let count = Int.random(in: -400...400, using: &random)
                let target = utc.dateComponents([.year, .month, .day], from: utc.date(byAdding: .day, value: count, to: utc.date(from: day)!)!)
                let jumped = days.start(count, daysAfter: instant)
                let landed = date(jumped) == target || (isBefore(target, date(jumped)) && isBefore(date(jumped.subtracting(.seconds(1))), target))
                if !days.isStart(jumped) || !landed { problems.append("\(count) days on is \(jumped)") }
                if !problems.isEmpty { failures.append("\(name) \(instant): \(problems.joined(separator: "; "))") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5))")
    }
}

/// vitals' day starts against Python's zoneinfo reading the system's tzdata (`scripts/zoneinfo-day-starts`): every day
/// of 1970–2037 in every zone whose midnight a clock change skipped, and the day after it.
@Suite struct ZoneinfoReferenceTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/zoneinfo-day-starts")
        .standardized

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: python != nil && FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/tzdata.zi")))
    func dayStartsMatchPythonZoneinfoWhereMidnightIsSkipped() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [Self.script.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        try #require(lines.count > 1000, "the reference lists \(lines.count) days")
        var zones: [String: (TimeZone, LocalDays)] = [:]
        var failures: [String] = []
        var otherData: Set<String> = []
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            let (name, date, start, offsetBefore, offsetAt) = (
                fields[0], fields[1], Timestamp(seconds: Int64(fields[2])!), Int(fields[3])!, Int(fields[4])!
            )
            if zones[name] == nil {
                let zone = try #require(TimeZone(ianaName: name), "\(name)")
                zones[name] = (zone, LocalDays(zone))
            }
            let (zone, days) = zones[name]!
            // Foundation reads its own copy of the zone data (ICU's); where it has other offsets, the days differ for that reason.
            guard zone.secondsFromGMT(for: start.subtracting(.seconds(1)).date) == offsetBefore, zone.secondsFromGMT(for: start.date) == offsetAt
            else {
                otherData.insert(name)
                continue
            }
            if days.start(of: start) != start || days.nextStart(after: start.subtracting(.seconds(1))) != start {
                failures.append(
                    "\(name) \(date): zoneinfo \(start), vitals \(days.start(of: start)) / \(days.nextStart(after: start.subtracting(.seconds(1))))")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(lines.count) days differ: \(failures.prefix(10))")
        // Only the legacy names tzdata 2024b turned into links (WET, EET, …) may carry other offsets in Foundation's copy.
        #expect(otherData.isSubset(of: ["WET", "EET", "CET", "MET"]), "\(otherData.sorted())")
    }
}

@Suite struct TimeZoneNameTests {
    /// Every name of zone1970.tab and tzdata.zi (zones and `backward` links) loads, as the configuration's `time_zone`
    /// and a mute window's `location`.
    @Test func everyNameTheSystemTzdataKnowsIsAccepted() throws {
        let names = SystemZoneNames.all
        try #require(names.count > 400)
        let refused = names.filter { TimeZone(ianaName: $0) == nil }
        #expect(refused.isEmpty, "refused: \(refused)")
        for name in names {
            let config = try ConfigLoader.parse(
                "time_zone: \(name)\nmute_windows:\n  - name: w\n    location: \(name)\n", file: "vitals.yml", environment: [:])
            #expect(config.timeZone.identifier == TimeZone(ianaName: name)!.identifier)
            #expect(config.muteWindows.map(\.location) == [config.timeZone.identifier])
        }
    }

    @Test(arguments: [
        "Asia/Kolkata", "Etc/UTC", "Etc/GMT+5", "America/Buenos_Aires", "America/Argentina/ComodRivadavia", "Asia/Calcutta", "UTC", "US/Eastern",
    ])
    func namesRefusedBeforeAreAccepted(name: String) throws {
        let zone = try #require(TimeZone(ianaName: name))
        #expect(zone.identifier == (name == "UTC" ? "GMT" : name))
    }

    @Test func etcGMTPlusFiveIsFiveHoursBehind() throws {
        #expect(try #require(TimeZone(ianaName: "Etc/GMT+5")).secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == -5 * 3600)
    }

    /// Foundation's abbreviations and offsets are not IANA names (`GMT+5` would be UTC+5, `Etc/GMT+5` is UTC−5).
    @Test(arguments: [
        "PST", "GMT+5", "GMT+0500", "utc", "Europe/Nowhere", "../zoneinfo/UTC", "/usr/share/zoneinfo/UTC", "posixrules", "localtime", "",
        "Europe/Berlin ",
    ])
    func abbreviationsOffsetsAndPathsAreRefused(name: String) {
        #expect(TimeZone(ianaName: name) == nil)
    }
}

/// The days a write rebuilds (both stores rebuild the same ones, `LocalDays.rebuiltRanges`).
@Suite struct RebuiltDaysTests {
    /// Touched days at most one untouched day apart are one range; an hour that straddles a midnight (Asia/Kolkata's days
    /// start at 18:30 UTC) touches both days; a sample's time counts by its hour.
    @Test func touchedDaysJoinAcrossOneUntouchedDayAndStraddlingHoursTouchBoth() throws {
        let days = LocalDays(try #require(TimeZone(identifier: "Asia/Kolkata")))
        let midnights = days.starts(from: Timestamp(milliseconds: 1_772_476_200_000), through: Timestamp(milliseconds: 1_772_476_200_000 + 12 * 86_400_000))
            .map(\.milliseconds)
        let hour: Int64 = 3_600_000
        // Days 0 and 1, day 3 (one untouched day between), day 7 and, by its hour from 18:00 UTC, days 10 and 11.
        let times = [midnights[0] + 2 * hour, midnights[1] + 5 * hour + 59_000, midnights[3] + 2 * hour, midnights[7] + hour, midnights[11] - hour / 2 + 1]
        #expect(LocalDays.rebuiltRanges(touching: times, in: midnights) == [0...4, 7...8, 10...12])
        #expect(LocalDays.rebuiltRanges(touching: [Int64](), in: midnights).isEmpty)
    }
}
