import VitalsCore

/// Keeps a collection run from replacing stored non-zero values with zeros without saying so.
///
/// A read that finds nothing (a date bound git misread, a shallow clone, another folder, a rewritten branch) returns
/// zeros for days that held counts. Those zeros are not written: the stored values stay, and the run says how many it
/// kept, so losing history always takes a visible step.
struct ZeroOverwrites {
    /// The samples to write: all but the kept ones.
    let samples: [Sample]
    /// The zero samples left out because their series holds a non-zero value at the same instant.
    let kept: [Sample]

    private struct Instant: Hashable {
        let key: SeriesKey
        let timestamp: Timestamp
    }

    init(_ samples: [Sample], store: any MetricStore) throws {
        let zeros = samples.filter { $0.value == 0 }
        guard let first = zeros.map(\.timestamp).min(), let last = zeros.map(\.timestamp).max() else {
            (self.samples, kept) = (samples, [])
            return
        }
        let keys = Array(Set(zeros.map(\.series.key)))
        let stored = try store.samples(of: keys, in: Period(from: first, to: last.adding(TimeSpan(milliseconds: 1))))
        var nonZero = Set<Instant>()
        for (key, points) in zip(keys, stored) {
            for point in points where point.value != 0 { nonZero.insert(Instant(key: key, timestamp: point.timestamp)) }
        }
        let isKept = { (sample: Sample) in sample.value == 0 && nonZero.contains(Instant(key: sample.series.key, timestamp: sample.timestamp)) }
        self.samples = samples.filter { !isKept($0) }
        kept = samples.filter(isKept)
    }

    /// What the run reports about the kept values; nil when it kept none.
    var warning: String? {
        guard let first = kept.map(\.timestamp).min(), let last = kept.map(\.timestamp).max() else { return nil }
        let names = Set(kept.map(\.series.key.name)).sorted().joined(separator: ", ")
        return "kept \(kept.count) stored non-zero values of \(names) from \(first) to \(last) that this run read as 0 "
            + "(the source read less than before: a shallow clone, another folder or branch, rewritten history?)"
    }
}
