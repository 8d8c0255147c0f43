import Foundation

/// Numbers as rule files write them: `0.05`, `5`, `1e3`, or a percentage `5%` (the ratio 0.05, the base unit of `_ratio` metrics).
enum ThresholdNumber {
    static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            return Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)).map { $0 / 100 }
        }
        return Double(trimmed)
    }
}
