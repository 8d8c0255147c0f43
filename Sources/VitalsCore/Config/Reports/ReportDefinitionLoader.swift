import Foundation
import Yams

/// Reads report definitions (`reports/NAME.yml`), checking every key and value and reporting problems with their position,
/// as ``ConfigLoader`` does for `vitals.yml`.
///
/// ```yaml
/// title: Daily digest
/// period: previous_day          # 1d, 7d, … or previous_day, previous_week
/// comparison: previous_period   # or same_period_last_week
/// alerts: true
/// channels: [team-slack]
/// sections:
///   - title: Code quality
///     family: quality
///     metrics:
///       - metric: coverage_lines_ratio
///         better: higher
///         good: 80%
///         warn: 70%
///         bad: 50%
///       - code_markers              # shown, not scored
/// ```
public enum ReportDefinitionLoader {
    static let topLevelKeys = ["title", "period", "comparison", "alerts", "channels", "sections"]
    static let sectionKeys = ["title", "family", "metrics"]
    static let metricKeys = ["metric", "better", "good", "warn", "bad"]

    /// The definition `name` from `directory` (`NAME.yml`), else the built-in one of that name; nil when neither exists.
    ///
    /// - Parameters:
    ///   - metrics: the metric names a section may show (the report catalog's).
    ///   - channels: the channel names `vitals.yml` configures.
    public static func load(
        name: String, directory: String, metrics: Set<String>, channels: [String]
    ) throws(ConfigError) -> ReportDefinition? {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("\(name).yml").path
        if FileManager.default.fileExists(atPath: path) {
            let data: Data
            do {
                data = try RegularFile.read(path, limit: RegularFile.definitionLimit)
            } catch {
                throw ConfigError(file: path, position: nil, message: error.description, code: .unreadableFile)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: path, position: nil, message: "is not UTF-8 text", code: .unreadableFile)
            }
            return try parse(text, name: name, file: path, metrics: metrics, channels: channels)
        }
        guard let text = ReportDefinition.builtIn[name] else { return nil }
        return try parse(text, name: name, file: "reports/\(name).yml (built in)", metrics: metrics, channels: channels)
    }

    /// The names `load` finds: the `*.yml` files of `directory` and the built-in definitions, sorted.
    public static func names(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let local = files.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }
        return Set(local).union(ReportDefinition.builtIn.keys).sorted()
    }

    /// Checks the text of one definition; `file` is the name messages use.
    public static func parse(
        _ text: String, name: String, file: String, metrics: Set<String>, channels: [String]
    ) throws(ConfigError) -> ReportDefinition {
        guard let document = try ConfigLoader.document(text, file: file), document.node.null == nil else {
            throw ConfigError(file: file, position: nil, message: "is empty; a report needs at least title and sections", code: .missingKey)
        }
        let values = try document.mapping(allowed: topLevelKeys)
        func required(_ key: String) throws(ConfigError) -> ConfigNode {
            guard let node = values[key] else { throw document.error("missing key '\(key)'", .missingKey) }
            return node
        }
        let title = try required("title").string()
        let period = try values["period"].map(periodSpec) ?? .span(.days(1))
        var comparison = ReportComparison.previousPeriod
        if let node = values["comparison"] { comparison = try choice(node, ReportComparison.allCases) }
        let showsAlerts = try values["alerts"].map(boolean) ?? false
        var channelNames: [String] = []
        if let node = values["channels"] {
            for item in try node.items() {
                let channel = try item.string()
                guard channels.contains(channel) else {
                    let known = channels.isEmpty ? "vitals.yml configures no channels" : "configured: \(channels.joined(separator: ", "))"
                    throw item.error("unknown channel '\(channel)'; \(known)" + Suggestion.hint(for: channel, in: channels), .invalidValue)
                }
                channelNames.append(channel)
            }
        }
        var sections: [ReportSectionDefinition] = []
        for item in try required("sections").items() {
            sections.append(try section(item, metrics: metrics))
        }
        return ReportDefinition(
            name: name, title: title, period: period, comparison: comparison, sections: sections, showsAlerts: showsAlerts,
            channels: channelNames)
    }

    static func section(_ node: ConfigNode, metrics known: Set<String>) throws(ConfigError) -> ReportSectionDefinition {
        let values = try node.mapping(allowed: sectionKeys)
        guard let familyNode = values["family"] else { throw node.error("missing key 'family'", .missingKey) }
        let family = try choice(familyNode, MetricFamily.allCases)
        let title = try values["title"]?.string() ?? family.title
        guard let metricsNode = values["metrics"] else { throw node.error("missing key 'metrics'", .missingKey) }
        var metrics: [ReportMetricDefinition] = []
        for item in try metricsNode.items() {
            metrics.append(try metric(item, known: known))
        }
        return ReportSectionDefinition(title: title, family: family, metrics: metrics)
    }

    /// A metric name alone, or a mapping with `metric` and its thresholds (`better`, `good`, `warn`, `bad`, all or none).
    static func metric(_ node: ConfigNode, known: Set<String>) throws(ConfigError) -> ReportMetricDefinition {
        func named(_ name: String, at place: ConfigNode) throws(ConfigError) -> String {
            guard known.contains(name) else {
                throw place.error("unknown metric '\(name)'; see docs/metrics.md" + Suggestion.hint(for: name, in: known.sorted()), .invalidValue)
            }
            return name
        }
        if node.node.scalar != nil { return ReportMetricDefinition(metric: try named(node.string(), at: node)) }
        let values = try node.mapping(allowed: metricKeys)
        guard let metricNode = values["metric"] else { throw node.error("missing key 'metric'", .missingKey) }
        let name = try named(metricNode.string(), at: metricNode)
        let given = ["better", "good", "warn", "bad"].filter { values[$0] != nil }
        guard !given.isEmpty else { return ReportMetricDefinition(metric: name) }
        guard given.count == 4 else {
            let missing = ["better", "good", "warn", "bad"].filter { values[$0] == nil }
            throw node.error("thresholds need better, good, warn and bad together; missing \(missing.joined(separator: ", "))", .missingKey)
        }
        let better = try choice(values["better"]!, MetricThreshold.Direction.allCases)
        let good = try number(values["good"]!)
        let warn = try number(values["warn"]!)
        let bad = try number(values["bad"]!)
        let ordered = better == .higher ? good > warn && warn > bad : good < warn && warn < bad
        guard ordered else {
            let order = better == .higher ? "good > warn > bad" : "good < warn < bad"
            throw values["warn"]!.error(
                "with better: \(better.rawValue) the thresholds must be \(order); found good \(good), warn \(warn), bad \(bad)", .invalidValue)
        }
        return ReportMetricDefinition(metric: name, threshold: MetricThreshold(better: better, good: good, warn: warn, bad: bad))
    }

    /// A number in the metric's unit; `80%` is 0.8, for ratios.
    static func number(_ node: ConfigNode) throws(ConfigError) -> Double {
        let text = try node.string().trimmingCharacters(in: .whitespaces)
        let percent = text.hasSuffix("%")
        guard let value = Double(percent ? String(text.dropLast()) : text), value.isFinite else {
            throw node.error("'\(text)' is not a number; give one such as 12, 0.8 or 80%", .invalidValue)
        }
        return percent ? value / 100 : value
    }

    static func periodSpec(_ node: ConfigNode) throws(ConfigError) -> ReportPeriodSpec {
        let text = try node.string()
        switch text {
        case "previous_day": return .previousDay
        case "previous_week": return .previousWeek
        default:
            guard let span = try? TimeSpan(parsing: text), span.milliseconds > 0 else {
                throw node.error("'\(text)' is not a period; give a span such as 1d or 7d, or previous_day, previous_week", .invalidValue)
            }
            return .span(span)
        }
    }

    static func boolean(_ node: ConfigNode) throws(ConfigError) -> Bool {
        switch try node.string() {
        case "true": return true
        case "false": return false
        case let text: throw node.error("'\(text)' is not true or false", .invalidValue)
        }
    }

    static func choice<Value: RawRepresentable>(_ node: ConfigNode, _ allowed: [Value]) throws(ConfigError) -> Value where Value.RawValue == String {
        let text = try node.string()
        guard let value = Value(rawValue: text) else {
            let names = allowed.map(\.rawValue)
            throw node.error(
                "'\(text)' is not allowed; allowed: \(names.joined(separator: ", "))" + Suggestion.hint(for: text, in: names), .invalidValue)
        }
        return value
    }
}
