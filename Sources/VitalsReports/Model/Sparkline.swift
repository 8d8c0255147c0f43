/// A one-line chart of daily values in block characters, `·` marking days without data.
public enum Sparkline {
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public static let missing: Character = "·"

    /// Scales the finite values between their minimum and maximum; equal values draw a flat line, at the bottom when all
    /// are zero. +∞ draws the top block and −∞ the bottom one (a Prometheus query dividing by zero gives them); NaN, a
    /// value without magnitude, draws as a day without data.
    public static func render(_ values: [Double?]) -> String {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        let low = finite.min() ?? 0
        let high = finite.max() ?? 0
        return String(
            values.map { value -> Character in
                guard let value, !value.isNaN else { return missing }
                if value == .infinity { return levels[levels.count - 1] }
                if value == -.infinity { return levels[0] }
                if high == low { return high == 0 ? levels[0] : levels[3] }
                let index = Int(((value - low) / (high - low) * Double(levels.count - 1)).rounded())
                return levels[index]
            })
    }
}
