/// The closest allowed word to a misspelt one, for "did you mean" hints.
enum DidYouMean {
    /// The allowed word nearest `word` by edit distance, when it is close enough to be a plausible typo.
    static func suggestion(for word: String, among allowed: [String]) -> String? {
        let scored = allowed.map { (candidate: $0, distance: distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        return best.distance <= max(2, best.candidate.count / 3) ? best.candidate : nil
    }

    /// Levenshtein distance, one row at a time.
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let target = Array(rhs)
        var previous = Array(0...target.count)
        for (i, character) in lhs.enumerated() {
            var current = [i + 1]
            for (j, other) in target.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (character == other ? 0 : 1)))
            }
            previous = current
        }
        return previous[target.count]
    }
}
