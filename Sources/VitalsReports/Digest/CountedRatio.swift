import VitalsCore

/// A ratio a digest counts from an event metric's series rather than reading the stored ratio: CI success is Σ successful
/// runs / Σ judged runs of `github_workflow_runs` over the period, since a period's ratio is neither the last day's stored
/// ratio nor the sum of the workflows' ratios. The counts come with it (`92.0% (46/50 runs)`), per workflow too.
struct CountedRatio {
    /// The event metric counted, and its label whose values are sorted into the numerator and the denominator.
    let metric: String
    let label: String
    let numerator: Set<String>
    let denominator: Set<String>
    /// The label the ratio is broken down by.
    let breakdown: String

    static let byMetric: [String: CountedRatio] = [
        "github_workflow_success_ratio": CountedRatio(
            metric: "github_workflow_runs", label: "conclusion", numerator: ["success"],
            denominator: ["success", "failure", "timed_out", "startup_failure"], breakdown: "workflow")
    ]

    /// The counted series of the row whose labels are `labels` (all but `label` and `breakdown`) that the denominator judges.
    func members(of rows: [ReportRow], labels: Labels) -> [ReportRow] {
        rows.filter { row in
            guard let value = row.labels[label], denominator.contains(value) else { return false }
            return row.labels.setting(label, to: nil).setting(breakdown, to: nil) == labels
        }
    }

    /// Σ numerator and Σ denominator of `value` over `rows`; nil when no row has a value.
    func counts(_ rows: [ReportRow], _ value: (ReportRow) -> Double?) -> (ones: Double, all: Double)? {
        let known = rows.compactMap { row in value(row).map { (numerator.contains(row.labels[label] ?? ""), $0) } }
        guard !known.isEmpty else { return nil }
        return (known.filter(\.0).reduce(0) { $0 + $1.1 }, known.reduce(0) { $0 + $1.1 })
    }

    static func ratio(_ counts: (ones: Double, all: Double)?) -> Double? {
        counts.flatMap { $0.all > 0 ? $0.ones / $0.all : nil }
    }

    /// Per bucket of `size` values: the ratio of the bucket's summed counts.
    func trend(_ rows: [ReportRow], values: Int, size: Int) -> [Double?] {
        stride(from: 0, to: values, by: size).map { start in
            let days = start..<min(start + size, values)
            return Self.ratio(counts(rows) { row in RowContext.sum(days.map { row.daily[$0] }) })
        }
    }

    /// The ratio per value of `breakdown`, fewest failures last: the workflows failing most come first.
    func breakdown(_ rows: [ReportRow]) -> [BreakdownEntry] {
        Dictionary(grouping: rows) { $0.labels[breakdown] ?? "" }.map { name, members in
            let (now, before) = (counts(members) { $0.value }, counts(members) { $0.previous })
            return BreakdownEntry(
                label: breakdown, value: name, now: Self.ratio(now), previous: Self.ratio(before),
                counts: now.map {
                    RawCounts(numerator: $0.ones, denominator: $0.all, previousNumerator: before?.ones, previousDenominator: before?.all)
                })
        }
        .sorted { left, right in
            let (l, r) = (left.counts.map { $0.denominator - $0.numerator } ?? -1, right.counts.map { $0.denominator - $0.numerator } ?? -1)
            return (l, right.value) > (r, left.value)
        }
    }
}
