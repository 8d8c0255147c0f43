import Foundation
import Yams

/// Reads `channels:` and `mute_windows:`.
enum AlertingReader {
    /// The keys every channel has, whatever its type; the type's reader (VitalsNotify) checks the others.
    static let commonChannelKeys = ["type", "default", "rate_limit"]
    static let muteWindowKeys = ["name", "weekdays", "times", "location", "matchers"]
    static let timeKeys = ["start_time", "end_time"]

    /// `channels:` maps each channel name to its settings.
    static func channels(_ node: ConfigNode) throws(ConfigError) -> [ChannelConfig] {
        guard let mapping = node.node.mapping else { throw node.wrongType(expected: "a mapping of channel names to settings") }
        var channels: [ChannelConfig] = []
        for (keyNode, value) in mapping {
            let key = ConfigNode(node: keyNode, path: node.path, file: node.file)
            let name = try key.string()
            channels.append(try channel(named: name, node.child(value, key: name)))
        }
        return channels
    }

    static func channel(named name: String, _ item: ConfigNode) throws(ConfigError) -> ChannelConfig {
        guard let mapping = item.node.mapping else { throw item.wrongType(expected: "a mapping") }
        func value(_ key: String) -> ConfigNode? { mapping[key].map { item.child($0, key: key) } }
        guard let typeNode = value("type") else { throw item.error("missing required key 'type', the kind of channel", .missingKey) }
        return ChannelConfig(
            name: name, type: try typeNode.string(), isDefault: try value("default").map(flag) ?? false,
            rateLimit: try value("rate_limit").map(rateLimit), settings: ConfigSection(item))
    }

    /// `rate_limit: N/s` (or `/m`, `/h`): at most N messages in that time, sent evenly; `none` lifts the type's default.
    static func rateLimit(_ node: ConfigNode) throws(ConfigError) -> TimeSpan? {
        let text = try node.string()
        if text == "none" { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let units: [Substring: Int64] = ["s": 1_000, "m": 60_000, "h": 3_600_000]
        guard parts.count == 2, let count = Int64(parts[0]), count > 0, let unit = units[parts[1]] else {
            throw node.error("expected a rate such as 1/s, 20/m or 100/h, or none; found '\(text)'", .invalidValue)
        }
        return TimeSpan(milliseconds: max(1, unit / count))
    }

    /// `routing:` maps a severity to the channels an alert of that severity goes to when its rule names none.
    static func routing(_ node: ConfigNode, channels: [ChannelConfig]) throws(ConfigError) -> [Severity: [String]] {
        guard let mapping = node.node.mapping else { throw node.wrongType(expected: "a mapping of severities to channel lists") }
        var routes: [Severity: [String]] = [:]
        for (keyNode, value) in mapping {
            let key = ConfigNode(node: keyNode, path: node.path, file: node.file)
            let text = try key.string()
            guard let severity = Severity(rawValue: text) else {
                throw key.error("'\(text)' is not a severity; allowed: \(Severity.allowedValues)", .invalidValue)
            }
            let list = node.child(value, key: text)
            let names = try list.strings()
            let defined = channels.map(\.name)
            if let unknown = names.first(where: { !defined.contains($0) }) {
                let known = defined.isEmpty ? "channels: defines none" : "defined: \(defined.joined(separator: ", "))"
                throw list.error("no channel named '\(unknown)' in channels:; \(known)\(Suggestion.hint(for: unknown, in: defined))", .invalidValue)
            }
            routes[severity] = names
        }
        return routes
    }

    static func flag(_ node: ConfigNode) throws(ConfigError) -> Bool {
        switch try node.string() {
        case "true": return true
        case "false": return false
        case let text: throw node.error("expected true or false, found '\(text)'", .invalidValue)
        }
    }

    static func muteWindows(_ node: ConfigNode) throws(ConfigError) -> [MuteWindowConfig] {
        var windows: [MuteWindowConfig] = []
        var pathByName: [String: String] = [:]
        for item in try node.items() {
            let values = try item.mapping(allowed: muteWindowKeys)
            guard let nameNode = values["name"] else { throw item.error("missing required key 'name'", .missingKey) }
            let name = try nameNode.string()
            if let earlier = pathByName[name] {
                throw nameNode.error("mute window name '\(name)' is already used by \(earlier); give each window its own name", .duplicateName)
            }
            pathByName[name] = item.path
            var window = MuteWindowConfig(name: name)
            if let weekdays = values["weekdays"] { window.weekdays = try self.weekdays(weekdays) }
            for range in try values["times"]?.items() ?? [] { window.times.append(try timeRange(range)) }
            if let location = values["location"] { window.location = try ConfigLoader.timeZone(location).identifier }
            window.matchers = try values["matchers"]?.strings() ?? []
            windows.append(window)
        }
        return windows
    }

    /// `[monday:friday, sunday]`: each item one day or a `first:last` range.
    static func weekdays(_ node: ConfigNode) throws(ConfigError) -> [String] {
        var days: [String] = []
        for item in try node.items() {
            let text = try item.string().lowercased()
            let names = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard names.count <= 2 else {
                throw item.error("'\(text)' names \(names.count) days; a range has two, as in monday:friday", .invalidValue)
            }
            if let bad = names.first(where: { !MuteWindowConfig.weekdayNames.contains($0) }) {
                let allowed = MuteWindowConfig.weekdayNames.joined(separator: ", ")
                throw item.error("'\(bad)' is not a weekday; use \(allowed), or a range such as monday:friday", .invalidValue)
            }
            days.append(text)
        }
        return days
    }

    /// `{start_time: "22:00", end_time: "06:00"}`.
    static func timeRange(_ item: ConfigNode) throws(ConfigError) -> MuteWindowConfig.TimeRange {
        let values = try item.mapping(allowed: timeKeys)
        var times: [String] = []
        for key in timeKeys {
            guard let node = values[key] else { throw item.error("missing required key '\(key)', a time of day such as 22:00", .missingKey) }
            let text = try node.string()
            guard isTimeOfDay(text, allowingMidnight: key == "end_time") else {
                throw node.error(
                    "'\(text)' is not a time of day; write HH:MM between 00:00 and \(key == "end_time" ? "24:00" : "23:59")", .invalidValue)
            }
            times.append(text)
        }
        return MuteWindowConfig.TimeRange(start: times[0], end: times[1])
    }

    static func isTimeOfDay(_ text: String, allowingMidnight: Bool) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return false }
        return (0..<24).contains(hour) && (0..<60).contains(minute) || (allowingMidnight && hour == 24 && minute == 0)
    }
}
