import VitalsCore
import VitalsPorts

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

    init(_ samples: [Sample], store: any MetricStore) async throws {
        var nonZero = Set<Instant>()
        let written = Dictionary(grouping: samples, by: \.series.key)
        for key in Set(samples.filter { $0.value == 0 }.map(\.series.key)) {
            let times = Set(written[key, default: []].map(\.timestamp)).sorted()
            let raw = try await store.samples(of: key, in: Period(from: times[0], to: times[times.count - 1].adding(TimeSpan(milliseconds: 1))))
            let rawValues = Dictionary(raw.map { ($0.timestamp, $0.value) }, uniquingKeysWith: { $1 })
            // Past the raw retention only the rollups hold a value (and a write there rebuilds them from the new sample
            // alone): the bucket from one written instant to the next (the last one's: a day) starts with the value
            // stored at that instant. Daily samples make these buckets whole days, read from the daily rollups at once.
            let buckets = try await store.summaries(of: key, boundaries: times + [times[times.count - 1].adding(.days(1))])
            for (index, time) in times.enumerated() {
                let rolledUp = buckets[index].flatMap { $0.first.timestamp == time ? $0.first.value : nil }
                if let stored = rawValues[time] ?? rolledUp, stored != 0 { nonZero.insert(Instant(key: key, timestamp: time)) }
            }
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
