import Foundation
import VitalsCore

/// Formats what `vitals query` prints.
struct QueryPrinter {
    let format: QueryFormat
    let timeZone: TimeZone

    func samples(_ results: [(SeriesDescriptor, [SamplePoint])]) throws -> String {
        switch format {
        case .json:
            struct Series: Encodable {
                let metric: String
                let labels: Labels
                let kind: MetricKind
                let unit: MetricUnit
                let samples: [SamplePoint]
            }
            return try encode(results.map { Series(metric: $0.key.name, labels: $0.key.labels, kind: $0.kind, unit: $0.unit, samples: $1) })
        case .csv:
            var text = "metric,labels,timestamp,value\n"
            for (descriptor, points) in results {
                for point in points {
                    text += "\(csv(descriptor.key.name)),\(csv(descriptor.key.labels.canonical)),\(point.timestamp),\(number(point.value))\n"
                }
            }
            return text
        case .table:
            var rows = [["SERIES", "TIME", "VALUE"]]
            for (descriptor, points) in results {
                if points.isEmpty { rows.append([descriptor.key.description, "(no samples in period)", ""]) }
                rows += points.map { [descriptor.key.description, $0.timestamp.description, number($0.value)] }
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
