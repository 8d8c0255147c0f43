/// Counts the markers in the comments of one source file: a small lexer that knows, from ``CommentSyntax``, where
/// comments begin and end and steps over string literals, so a `"TODO"` in a string or a `// TODO` inside a string
/// never counts. Doc comments (`///`, `/** */`) are comments and count; Python docstrings are strings and do not.
/// Inside a comment, a Markdown code span (text between backticks) quotes code rather than flags work to do, so a word in
/// one is not a marker; a backtick left open leaves the rest of the comment counted.
public enum CommentScanner {
    /// The number of each marker in the comments of `text`, every kind present (zero included).
    public static func markers(in text: String, syntax: CommentSyntax) -> [MarkerKind: Int] {
        var text = text
        return text.withUTF8 { markers(in: UnsafeRawBufferPointer($0), syntax: syntax) }
    }

    static func markers(in bytes: UnsafeRawBufferPointer, syntax: CommentSyntax) -> [MarkerKind: Int] {
        var counts = Dictionary(uniqueKeysWithValues: MarkerKind.allCases.map { ($0, 0) })
        func countText(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            counts.merge(MarkerCounter.count(in: UnsafeRawBufferPointer(rebasing: bytes[range])), uniquingKeysWith: +)
        }
        // The comment's text outside its code spans.
        func count(_ range: Range<Int>) {
            var start = range.lowerBound
            while let open = bytes[start..<range.upperBound].firstIndex(of: UInt8(ascii: "`")),
                let close = bytes[(open + 1)..<range.upperBound].firstIndex(of: UInt8(ascii: "`"))
            {
                countText(start..<open)
                start = close + 1
            }
            countText(start..<range.upperBound)
        }
        var index = 0
        while index < bytes.count {
            guard
                let token = syntax.tokens.first(where: {
                    starts(bytes, at: index, with: $0.open) && (!$0.afterSeparator || isSeparator(bytes, before: index))
                })
            else {
                index += 1
                continue
            }
            let body = index + token.open.count
            switch token.kind {
            case .lineComment:
                let end = endOfLine(bytes, from: body)
                count(body..<end)
                index = end
            case .blockComment(let close, let nests):
                var depth = 1
                var cursor = body
                while cursor < bytes.count {
                    if nests, starts(bytes, at: cursor, with: token.open) {
                        depth += 1
                        cursor += token.open.count
                    } else if starts(bytes, at: cursor, with: close) {
                        depth -= 1
                        if depth == 0 { break }
                        cursor += close.count
                    } else {
                        cursor += 1
                    }
                }
                count(body..<min(cursor, bytes.count))
                index = min(cursor + close.count, bytes.count)
            case .string(let close, let escapes, let multiline):
                index = endOfString(bytes, from: body, close: close, escapes: escapes, multiline: multiline)
            case .rawString:
                index = endOfRawString(bytes, from: index, opener: token.open)
            case .characterLiteral:
                index = endOfCharacterLiteral(bytes, from: body)
            }
        }
        return counts
    }

    private static func starts(_ bytes: UnsafeRawBufferPointer, at index: Int, with prefix: [UInt8]) -> Bool {
        guard index + prefix.count <= bytes.count else { return false }
        for offset in 0..<prefix.count where bytes[index + offset] != prefix[offset] { return false }
        return true
    }

    private static func isSeparator(_ bytes: UnsafeRawBufferPointer, before index: Int) -> Bool {
        guard index > 0 else { return true }
        return separators.contains(bytes[index - 1])
    }

    private static let separators = Array(" \t\r\n;|&(){}[],:=".utf8)

    private static func endOfLine(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Int {
        var cursor = index
        while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "\n") { cursor += 1 }
        return cursor
    }

    /// Where the code resumes after a string literal whose body starts at `index`.
    private static func endOfString(_ bytes: UnsafeRawBufferPointer, from index: Int, close: [UInt8], escapes: Bool, multiline: Bool) -> Int {
        var cursor = index
        while cursor < bytes.count {
            if escapes, bytes[cursor] == UInt8(ascii: "\\") {
                cursor += 2
            } else if starts(bytes, at: cursor, with: close) {
                return cursor + close.count
            } else if !multiline, bytes[cursor] == UInt8(ascii: "\n") {
                return cursor
            } else {
                cursor += 1
            }
        }
        return bytes.count
    }

    /// `#"…"#`, `##"""…"""##`, `r#"…"#`: the opener is followed by more `#`, then the quote; without a quote it is code
    /// (`#if`, `r#type`) and the scan goes on after the opener's first byte.
    private static func endOfRawString(_ bytes: UnsafeRawBufferPointer, from index: Int, opener: [UInt8]) -> Int {
        var cursor = index + opener.count
        var hashes = 1
        while cursor < bytes.count, bytes[cursor] == UInt8(ascii: "#") {
            hashes += 1
            cursor += 1
        }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") else { return index + 1 }
        let quotes = starts(bytes, at: cursor, with: Array("\"\"\"".utf8)) ? 3 : 1
        let close = [UInt8](repeating: UInt8(ascii: "\""), count: quotes) + [UInt8](repeating: UInt8(ascii: "#"), count: hashes)
        return endOfString(bytes, from: cursor + quotes, close: close, escapes: false, multiline: true)
    }

    /// `'x'` or `'\n'` is a literal; `'a` (a lifetime) is code.
    private static func endOfCharacterLiteral(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Int {
        guard index < bytes.count else { return index }
        if bytes[index] == UInt8(ascii: "\\") {
            return endOfString(bytes, from: index, close: [UInt8(ascii: "'")], escapes: true, multiline: false)
        }
        // One UTF-8 scalar, then the closing quote.
        var next = index + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next < bytes.count && bytes[next] == UInt8(ascii: "'") ? next + 1 : index
    }
}
