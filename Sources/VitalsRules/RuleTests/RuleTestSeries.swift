import Synchronization
import VitalsCore

/// The series a rule test reads: its input series, plus what recording rules write as the evaluation steps on.
final class RuleTestSeries: SeriesQuerier {
    private struct Storage {
        var series: [QueriedSeries] = []
        var indexByLabels: [Labels: Int] = [:]
        var indicesByName: [String: [Int]] = [:]
    }

    private let storage = Mutex(Storage())

    /// Input series with the same labels are merged, as loading them into one store would.
    init(_ input: [InputSeries]) {
        for series in input {
            for point in series.points { append(series.labels, point) }
        }
    }

    /// Adds a point; points arrive in time order except when input series repeat a label set.
    func append(_ labels: Labels, _ point: SamplePoint) {
        storage.withLock { storage in
            if let index = storage.indexByLabels[labels] {
                let points = storage.series[index].points
                if let last = points.last, last.timestamp >= point.timestamp {
                    storage.series[index].points = (points.filter { $0.timestamp != point.timestamp } + [point]).sorted { $0.timestamp < $1.timestamp }
                } else {
                    storage.series[index].points.append(point)
                }
            } else {
                storage.indexByLabels[labels] = storage.series.count
                storage.indicesByName[labels["__name__"] ?? "", default: []].append(storage.series.count)
                storage.series.append(QueriedSeries(labels: labels, points: [point]))
            }
        }
    }

    func select(_ matchers: [LabelMatcher], from: Timestamp, through: Timestamp) -> [QueriedSeries] {
        storage.withLock { storage in
            let named = matchers.first { $0.name == "__name__" && $0.kind == .equal }
            let candidates = named.map { storage.indicesByName[$0.value] ?? [] } ?? Array(storage.series.indices)
            // Whole point arrays are returned, sharing storage: the evaluator narrows them to its window.
            return candidates.compactMap { index in
                let series = storage.series[index]
                guard matchers.allSatisfy({ $0.matches(series.labels) }),
                    !series.points[series.points.window(from: from.milliseconds, through: through.milliseconds)].isEmpty
                else { return nil }
                return series
            }
        }
    }
}
