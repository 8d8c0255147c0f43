import Synchronization
import VitalsCore

/// The series a rule test reads: its input series, plus what recording rules write as the evaluation steps on.
final class RuleTestSeries: SeriesQuerier {
    private struct Storage {
        var series: [QueriedSeries] = []
        var indexByLabels: [Labels: Int] = [:]
        var indicesByName: [String: [Int]] = [:]
        /// The selections made since the series last changed, at the latest window end: every rule of a step that reads
        /// the same selector shares one answer.
        var selections: [SelectionKey: [QueriedSeries]] = [:]
    }

    private struct SelectionKey: Hashable {
        let matchers: [MatcherKey]
        let from: Int64
        let through: Int64
    }

    private struct MatcherKey: Hashable {
        let name: String
        let kind: String
        let value: String
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
            // Dropped first: cached selections share the point arrays, which appending would then copy.
            if !storage.selections.isEmpty { storage.selections.removeAll() }
            if let index = storage.indexByLabels[labels] {
                if let last = storage.series[index].points.last, last.timestamp >= point.timestamp {
                    var points = storage.series[index].points.filter { $0.timestamp != point.timestamp }
                    points.append(point)
                    points.sort { $0.timestamp < $1.timestamp }
                    storage.series[index].points = points
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
        let key = SelectionKey(
            matchers: matchers.map { MatcherKey(name: $0.name, kind: $0.kind.rawValue, value: $0.value) }, from: from.milliseconds,
            through: through.milliseconds)
        return storage.withLock { storage in
            if let selected = storage.selections[key] { return selected }
            let named = matchers.first { $0.name == "__name__" && $0.kind == .equal }
            let candidates = named.map { storage.indicesByName[$0.value] ?? [] } ?? Array(storage.series.indices)
            // Whole point arrays are returned, sharing storage: the evaluator narrows them to its window.
            let selected = candidates.compactMap { index -> QueriedSeries? in
                let series = storage.series[index]
                guard matchers.allSatisfy({ $0.matches(series.labels) }),
                    !series.points[series.points.window(from: from.milliseconds, through: through.milliseconds)].isEmpty
                else { return nil }
                return series
            }
            // Only the latest window end is kept: the steps move forward, so earlier ones are seldom asked for again.
            if let cached = storage.selections.keys.first, cached.through != key.through { storage.selections.removeAll() }
            storage.selections[key] = selected
            return selected
        }
    }
}
