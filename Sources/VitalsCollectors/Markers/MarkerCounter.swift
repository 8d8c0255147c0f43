/// Counts code markers in text, as whole words.
///
/// A word is a maximal run of ASCII letters, digits and underscores; a marker counts when a whole word equals
/// `TODO`, `FIXME`, `HACK` or `XXX` exactly (case-sensitive). So `// TODO`, `TODO:` and `TODO(ana)` count,
/// while `TODOS`, `todo`, `MY_TODO` and `XXXX` do not. Every other byte, non-ASCII included, separates words.
public enum MarkerCounter {
    private static let words: [(kind: MarkerKind, bytes: [UInt8])] = MarkerKind.allCases.map { ($0, Array($0.word.utf8)) }

    /// The number of occurrences of each marker in `bytes`, every kind present (zero included).
    public static func count(in bytes: UnsafeRawBufferPointer) -> [MarkerKind: Int] {
        var counts = Dictionary(uniqueKeysWithValues: MarkerKind.allCases.map { ($0, 0) })
        var index = 0
        while index < bytes.count {
            guard isWordByte(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
            let word = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            // Markers are 3 to 5 capitals; checking the length first skips almost every word cheaply.
            if (3...5).contains(word.count), let kind = words.first(where: { $0.bytes.elementsEqual(word) })?.kind {
                counts[kind, default: 0] += 1
            }
        }
        return counts
    }

    /// Counts markers in text (for callers that hold a string).
    public static func count(in text: String) -> [MarkerKind: Int] {
        var text = text
        return text.withUTF8 { count(in: UnsafeRawBufferPointer($0)) }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
