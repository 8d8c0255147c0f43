public import VitalsCore

/// The samples of one metric's series in a period, which a round reads ahead for all its rules at once
/// (``MetricStore/series(in:)``).
public struct MetricWindow: Hashable, Sendable {
    public let name: String
    public let period: Period

    public init(name: String, period: Period) {
        self.name = name
        self.period = period
    }

    /// The windows with overlapping or touching periods of the same metric joined, so no sample is read twice; by name,
    /// then oldest first.
    public static func merged(_ windows: [MetricWindow]) -> [MetricWindow] {
        let sorted = windows.sorted { ($0.name, $0.period.from.milliseconds) < ($1.name, $1.period.from.milliseconds) }
        var merged: [MetricWindow] = []
        for window in sorted {
            if let last = merged.last, last.name == window.name, window.period.from.milliseconds <= last.period.to.milliseconds {
                let to = Timestamp(milliseconds: max(last.period.to.milliseconds, window.period.to.milliseconds))
                merged[merged.count - 1] = MetricWindow(name: last.name, period: Period(from: last.period.from, to: to))
            } else {
                merged.append(window)
            }
        }
        return merged
    }
}
