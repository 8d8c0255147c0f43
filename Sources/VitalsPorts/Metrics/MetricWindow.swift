public import VitalsCore

/// The samples of one metric's series in a period, which a round reads ahead for all its rules at once
/// (``MetricStore/series(in:)``).
public struct MetricWindow: Hashable, Sendable {
    public let name: String
    public let period: Period
    /// Only each series' newest sample in the period: what an instant selector takes (its lookback), so a store need not
    /// read the others.
    public let newestOnly: Bool

    public init(name: String, period: Period, newestOnly: Bool = false) {
        self.name = name
        self.period = period
        self.newestOnly = newestOnly
    }

    /// The windows with overlapping or touching periods of the same metric joined, so no sample is read twice; by name,
    /// then oldest first. Windows of only the newest samples are joined only when equal (the newest sample of a longer
    /// period may lie outside a shorter one), and left out where a whole window of their metric covers them: the newest
    /// sample is among its samples. They come after the whole windows.
    public static func merged(_ windows: [MetricWindow]) -> [MetricWindow] {
        let sorted = windows.filter { !$0.newestOnly }.sorted { ($0.name, $0.period.from.milliseconds) < ($1.name, $1.period.from.milliseconds) }
        var merged: [MetricWindow] = []
        for window in sorted {
            if let last = merged.last, last.name == window.name, window.period.from.milliseconds <= last.period.to.milliseconds {
                let to = Timestamp(milliseconds: max(last.period.to.milliseconds, window.period.to.milliseconds))
                merged[merged.count - 1] = MetricWindow(name: last.name, period: Period(from: last.period.from, to: to))
            } else {
                merged.append(window)
            }
        }
        let newest = Set(windows.filter(\.newestOnly)).filter { window in
            !merged.contains { $0.name == window.name && $0.period.from <= window.period.from && window.period.to <= $0.period.to }
        }
        return merged + newest.sorted { ($0.name, $0.period.from.milliseconds, $0.period.to.milliseconds) < ($1.name, $1.period.from.milliseconds, $1.period.to.milliseconds) }
    }
}
