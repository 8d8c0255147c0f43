import Foundation
import Prometheus
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsRules

/// `GET /metrics`: vitals' own metrics, then the newest sample of every stored series, in Prometheus' text format (0.0.4).
///
/// A stored family is typed by its kind: a gauge is a `gauge`; a counter whose name ends in `_total` is a `counter` (its
/// newest cumulative value); any other counter, and every event series (a count per occurrence or per day, whose newest
/// sample is the count of its newest bucket, not a running total), is `untyped`, so promtool's lint holds and no client
/// takes a per-day count for a counter. Each sample carries its stored timestamp, so Prometheus keeps the time it was
/// measured at. Names that are not valid Prometheus metric names are left out (the store only holds valid ones).
struct MetricsExposition: Sendable {
    let store: any LatestSampleReader
    let metrics: VitalsMetrics

    func text() async throws -> String {
        let latest = try await store.latestSamples()
        metrics.recordStore(bytes: try await store.sizeInBytes(), series: latest.count)
        var text = metrics.registry.emitToString()
        text.reserveCapacity(text.utf8.count + 80 * latest.count)
        let own = VitalsMetrics.familyNames
        var family: String?
        for (series, sample) in latest where !own.contains(series.key.name) && PrometheusNames.isMetricName(series.key.name) {
            let name = series.key.name
            if name != family {
                family = name
                text += "# HELP \(name) \(Self.help(series))\n# TYPE \(name) \(Self.type(series))\n"
            }
            text += name
            // The canonical form is the exposition format's: `name="value"` pairs, `\\`, `\"` and `\n` escaped.
            if !series.key.labels.isEmpty { text += "{\(series.key.labels.canonical)}" }
            text += " "
            text += GoNumberFormat.value(sample.value)
            text += " "
            text += String(sample.timestamp.milliseconds)
            text += "\n"
        }
        return text
    }

    static func type(_ series: SeriesDescriptor) -> String {
        switch series.kind {
        case .gauge: series.key.name.hasSuffix("_total") ? "untyped" : "gauge"
        case .counter: series.key.name.hasSuffix("_total") ? "counter" : "untyped"
        case .event: "untyped"
        }
    }

    /// The catalog's title of the metric (docs/metrics.md), or what kind of series it is.
    static func help(_ series: SeriesDescriptor) -> String {
        let title = MetricCatalog.standard[series.key.name]?.title ?? "vitals stored \(series.kind.rawValue)"
        return "\(title) (\(series.unit.rawValue); the newest sample)".replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
