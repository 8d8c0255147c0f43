extension Labels {
    /// Whether every name and value is ASCII, so that the canonical texts' order is their bytes' order.
    var isASCII: Bool {
        pairs.allSatisfy { pair in pair.name.utf8.allSatisfy { $0 < 0x80 } && pair.value.utf8.allSatisfy { $0 < 0x80 } }
    }

    /// `lhs.canonical < rhs.canonical` for ASCII label sets, whose text order is their bytes' order; sorting alerts by
    /// building the texts on every comparison was once the bulk of an evaluation round.
    static func asciiCanonicallyPrecedes(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) {
            if left.name != right.name {
                // `name=` against `name=`: where one name is a prefix of the other, `=` meets the longer name's next byte.
                return precedes(left.name, right.name, endingWith: UInt8(ascii: "=")) ?? (lhs.canonical < rhs.canonical)
            }
            if left.value != right.value {
                return precedes(escaping: left.value, right.value)
            }
        }
        // Equal pairs so far: the text of the shorter set is a prefix of the other's.
        return lhs.pairs.count < rhs.pairs.count
    }

    /// Whether `left` followed by `end` precedes `right` followed by `end` byte by byte; nil when they are equal, which
    /// happens only for names that hold `=`, so the caller compares the full texts.
    private static func precedes(_ left: String, _ right: String, endingWith end: UInt8) -> Bool? {
        var leftBytes = left.utf8.makeIterator()
        var rightBytes = right.utf8.makeIterator()
        while true {
            let leftByte = leftBytes.next() ?? end
            let rightByte = rightBytes.next() ?? end
            if leftByte != rightByte { return leftByte < rightByte }
            if leftByte == end { return nil }
        }
    }

    /// Whether `"left"` precedes `"right"` byte by byte with both values escaped as ``Labels/canonical`` escapes them;
    /// escaping is unambiguous, so different values' texts differ before either closing quote is passed.
    private static func precedes(escaping left: String, _ right: String) -> Bool {
        var leftBytes = left.utf8.makeIterator()
        var rightBytes = right.utf8.makeIterator()
        while true {
            let leftByte = leftBytes.next()
            let rightByte = rightBytes.next()
            if leftByte == rightByte {
                if leftByte == nil { return false }
                continue
            }
            // The first bytes of the escaped forms, a value's end being its closing quote, then the escapes' second bytes.
            let leftFirst = leftByte.map(escapedFirstByte) ?? UInt8(ascii: "\"")
            let rightFirst = rightByte.map(escapedFirstByte) ?? UInt8(ascii: "\"")
            if leftFirst != rightFirst { return leftFirst < rightFirst }
            return escapeLetter(leftByte!) < escapeLetter(rightByte!)
        }
    }

    private static func escapedFirstByte(_ byte: UInt8) -> UInt8 {
        isEscaped(byte) ? UInt8(ascii: "\\") : byte
    }
}
