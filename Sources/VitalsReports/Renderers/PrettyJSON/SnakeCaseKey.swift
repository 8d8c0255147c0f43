import Foundation

/// Foundation's `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`, key by key.
enum SnakeCaseKey {
    /// `schemaVersion` → `schema_version`, `myURLKey` → `my_url_key`: Foundation's words split at each lower-to-upper
    /// case step and before the last capital of a run followed by a lower-case letter (the first character never starts a
    /// word), then lower-cased and joined by `_`. Computed here for ASCII keys (every key the models have); any other key
    /// is converted by Foundation itself, whose Unicode tables this does not repeat.
    static func converting(_ key: String) -> String {
        let bytes = Array(key.utf8)
        // A carriage return and a line feed make one character, which Foundation steps over as one.
        guard bytes.allSatisfy({ $0 < 0x80 }), !bytes.contains(UInt8(ascii: "\r")) else { return foundationConverting(key) }
        guard !bytes.isEmpty else { return key }
        func isUpper(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }
        func isLower(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        while let upper = bytes[searchStart...].firstIndex(where: isUpper) {
            words.append(wordStart..<upper)
            guard let lower = bytes[upper...].firstIndex(where: isLower) else {
                wordStart = upper
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        words.append(wordStart..<bytes.count)
        return words.map { String(decoding: bytes[$0], as: UTF8.self).lowercased() }.joined(separator: "_")
    }

    /// The key as Foundation's encoder writes it under `.convertToSnakeCase`.
    private static func foundationConverting(_ key: String) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // A key alone in an object with a null value: the key is all the output holds beyond `{"` and `":null}`.
        guard let data = try? encoder.encode(OneKey(key: key)),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let converted = object.keys.first
        else { return key }
        return converted
    }

    private struct OneKey: Encodable {
        let key: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: StringKey.self)
            try container.encodeNil(forKey: StringKey(stringValue: key))
        }
    }
}
