import Foundation
import VitalsCore
import VitalsPorts

/// Formats what `vitals query` prints.
struct QueryPrinter {
    let format: QueryFormat
    let timeZone: TimeZone

    /// One series to print: its samples, and for a metric the report derives, the value of the whole period.
    struct Series {
        let descriptor: SeriesDescriptor
        let points: [SamplePoint]
        var periodValue: Double? = nil
    }

    /// The samples of each series; a derived series ends with its period's value, whose time is the period as an
    /// ISO 8601 interval (`FROM/TO`) in table and CSV, and a `period` object in JSON.
    func samples(_ results: [Series], period: Period) throws -> String {
        let interval = "\(period.from)/\(period.to)"
        switch format {
        case .json:
            struct PeriodValue: Encodable {
                let from: Timestamp
                let to: Timestamp
                let value: Double
            }
            struct Series: Encodable {
                let metric: String
                let labels: Labels
                let kind: MetricKind
                let unit: MetricUnit
                let samples: [SamplePoint]
                let period: PeriodValue?
            }
            return try encode(
                results.map {
                    Series(
                        metric: $0.descriptor.key.name, labels: $0.descriptor.key.labels, kind: $0.descriptor.kind, unit: $0.descriptor.unit,
                        samples: $0.points, period: $0.periodValue.map { PeriodValue(from: period.from, to: period.to, value: $0) })
                })
        case .csv:
            var text = "metric,labels,timestamp,value\n"
            for series in results {
                let prefix = "\(csv(series.descriptor.key.name)),\(csv(series.descriptor.key.labels.canonical))"
                for point in series.points { text += "\(prefix),\(point.timestamp),\(number(point.value))\n" }
                if let value = series.periodValue { text += "\(prefix),\(interval),\(number(value))\n" }
            }
            return text
        case .table:
            var rows = [["SERIES", "TIME", "VALUE"]]
            for series in results {
                let name = series.descriptor.key.description
                if series.points.isEmpty && series.periodValue == nil { rows.append([name, "(no samples in period)", ""]) }
                rows += series.points.map { [name, $0.timestamp.description, number($0.value)] }
                if let value = series.periodValue { rows.append([name, interval, number(value)]) }
            }
            return table(rows)
        }
    }

    func catalog(_ series: [SeriesDescriptor], runs: [JobRun]) throws -> String {
        var latest: [String: JobRun] = [:]
        for run in runs where latest[run.source] == nil { latest[run.source] = run }
        let metrics = Dictionary(grouping: series, by: \.key.name).sorted { $0.key < $1.key }
        switch format {
        case .json:
            struct Metric: Encodable {
                let metric: String
                let kind: MetricKind
                let unit: MetricUnit
                let series: Int
            }
            struct Document: Encodable {
                let metrics: [Metric]
                let sources: [JobRun]
            }
            return try encode(
                Document(
                    metrics: metrics.map { Metric(metric: $0.key, kind: $0.value[0].kind, unit: $0.value[0].unit, series: $0.value.count) },
                    sources: latest.values.sorted { $0.source < $1.source }))
        case .csv, .table:
            var rows = [["METRIC", "KIND", "UNIT", "SERIES"]]
            rows += metrics.map { [$0.key, $0.value[0].kind.rawValue, $0.value[0].unit.rawValue, String($0.value.count)] }
            let body = metrics.isEmpty ? "The store is empty: run `vitals collect` or `vitals report`.\n" : table(rows, csv: format == .csv)
            return body + "\n" + (try self.runs(latest.values.sorted { $0.source < $1.source }))
        }
    }

    func runs(_ runs: [JobRun]) throws -> String {
        if format == .json { return try encode(runs) }
        var rows = [["SOURCE", "STARTED", "STATUS", "SAMPLES", "ERROR"]]
        rows += runs.map { [$0.source, $0.started.description, $0.status.rawValue, String($0.samplesWritten), $0.error ?? ""] }
        return table(rows, csv: format == .csv)
    }

    private func table(_ rows: [[String]], csv: Bool = false) -> String {
        if csv { return rows.map { $0.map(self.csv).joined(separator: ",") + "\n" }.joined() }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }.joined()
    }

    private func csv(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"\(field.replacingOccurrences(of: "\"", with: "\"\""))\"" : field
    }

    private func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}
