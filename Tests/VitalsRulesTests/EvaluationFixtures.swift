import VitalsCore
import VitalsRules

/// Series sampled once a minute from time 0, written the way `promtool test rules` reads them.
struct FixtureSeries {
    /// Prometheus notation: `requests_total{repo="api"}`.
    let selector: String
    let labels: Labels
    /// One value per minute; nil is a gap (`_`), ``StaleMarker/value`` a staleness marker (`stale`).
    let values: [Double?]

    init(_ name: String, _ labels: [String: String], _ values: [Double?]) {
        self.labels = Labels(labels.merging(["__name__": name]) { $1 })
        self.selector = name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
        self.values = values
    }

    /// The values in promtool's input notation.
    var promtoolValues: String {
        values.map { value in
            guard let value else { return "_" }
            return StaleMarker.isStale(value) ? "stale" : PromtoolFormat.number(value)
        }.joined(separator: " ")
    }

    var queried: QueriedSeries {
        let points = values.enumerated().compactMap { minute, value in
            value.map { SamplePoint(Timestamp(milliseconds: Int64(minute) * 60_000), $0) }
        }
        return QueriedSeries(labels: labels, points: points)
    }

    /// Health-metric shaped series over 31 minutes: steady and resetting counters, a counter that starts and ends inside
    /// the data, gauges with a staleness marker and a gap, a series that stops, and an irregular gauge for quantiles.
    static let standard: [FixtureSeries] = {
        let minutes = 0...30
        return [
            FixtureSeries("requests_total", ["repo": "api", "code": "200"], minutes.map { Double($0 * 10) }),
            FixtureSeries(
                "requests_total", ["repo": "api", "code": "500"],
                minutes.map { Double($0 < 6 ? 5 + 2 * $0 : $0 < 14 ? 2 * ($0 - 6) + 2 : ($0 - 14) * 3 + 1) }),
            FixtureSeries("requests_total", ["repo": "web", "code": "200"], minutes.map { $0 < 12 || $0 > 26 ? nil : Double(100 + 5 * ($0 - 12)) }),
            FixtureSeries("coverage_ratio", ["repo": "api"], minutes.map { Double(78 + ($0 * 7) % 5) }),
            FixtureSeries(
                "coverage_ratio", ["repo": "web"],
                minutes.map { $0 == 20 ? StaleMarker.value : (21...24).contains($0) ? nil : Double(60 + $0 / 3) }),
            FixtureSeries("up", ["job": "ci", "repo": "api"], minutes.map { $0 <= 15 ? 1 : nil }),
            FixtureSeries("up", ["job": "ci", "repo": "web"], minutes.map { (8...9).contains($0) ? 0 : 1 }),
            FixtureSeries("build_seconds", ["repo": "api"], minutes.map { Double(($0 * 37) % 23 + 10) }),
            // A classic histogram: cumulative bucket counters, the upper buckets growing faster than the lower ones.
            FixtureSeries("latency_seconds_bucket", ["repo": "api", "le": "0.1"], minutes.map { Double($0 * 2) }),
            FixtureSeries("latency_seconds_bucket", ["repo": "api", "le": "0.5"], minutes.map { Double($0 * 5 + $0 % 3) }),
            FixtureSeries("latency_seconds_bucket", ["repo": "api", "le": "1"], minutes.map { Double($0 * 9 + $0 % 4) }),
            FixtureSeries("latency_seconds_bucket", ["repo": "api", "le": "+Inf"], minutes.map { Double($0 * 10 + $0 % 4) }),
            FixtureSeries("latency_seconds_bucket", ["repo": "web", "le": "0.5"], minutes.map { Double($0 * 3) }),
            FixtureSeries("latency_seconds_bucket", ["repo": "web", "le": "+Inf"], minutes.map { Double($0 * 4) }),
            // An info metric for `group_left`.
            FixtureSeries("repo_info", ["repo": "api", "team": "core"], minutes.map { _ in 1 }),
            FixtureSeries("repo_info", ["repo": "web", "team": "site"], minutes.map { _ in 1 }),
        ]
    }()

    static var standardQuerier: InMemorySeriesQuerier { InMemorySeriesQuerier(standard.map(\.queried)) }
}

/// How promtool's YAML spells numbers and label sets.
enum PromtoolFormat {
    static func number(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value > 0 ? ".inf" : "-.inf" }
        return "\(value)"
    }

    /// `name{a="b"}`, `{a="b"}`, or `{}`.
    static func labels(_ labels: Labels) -> String {
        let name = labels["__name__"] ?? ""
        let rest = labels.droppingNameForFormat.canonical
        return "\(name){\(rest)}"
    }
}

extension Labels {
    fileprivate var droppingNameForFormat: Labels { Labels(dictionary.filter { $0.key != "__name__" }) }
}
