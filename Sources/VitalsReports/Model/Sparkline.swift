/// A one-line chart of daily values in block characters, `·` marking days without data.
public enum Sparkline {
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public static let missing: Character = "·"

    /// Scales the values between their minimum and maximum; equal values draw a flat line, at the bottom when all are zero.
    public static func render(_ values: [Double?]) -> String {
        let known = values.compactMap { $0 }
        guard let low = known.min(), let high = known.max() else { return String(repeating: missing, count: values.count) }
        return String(
            values.map { value -> Character in
                guard let value else { return missing }
                if high == low { return high == 0 ? levels[0] : levels[3] }
                let index = Int(((value - low) / (high - low) * Double(levels.count - 1)).rounded())
                return levels[index]
            })
    }
}
