import Foundation

/// Finds a processing instruction with a target and no content, `<?name?>`, which FoundationXML's `XMLParser` cannot
/// read: libxml2 hands it a null pointer for the content and FoundationXML turns that into a string unchecked, so the
/// process dies (SIGSEGV). Files with one are refused before `XMLParser` sees them.
enum EmptyProcessingInstruction {
    /// The first such instruction in `data`: its 1-based line and its text.
    static func first(in data: Data) -> (line: Int, text: String)? {
        data.withUnsafeBytes { bytes -> (line: Int, text: String)? in
            var line = 1
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\n") {
                    line += 1
                } else if bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?") {
                    // The target runs to the first blank or markup character; with no blank before `?>` there is no content.
                    var end = index + 2
                    while end < bytes.count, !endsTarget(bytes[end]) { end += 1 }
                    if end > index + 2, end + 1 < bytes.count, bytes[end] == UInt8(ascii: "?"), bytes[end + 1] == UInt8(ascii: ">") {
                        return (line, String(decoding: bytes[index..<end + 2], as: UTF8.self))
                    }
                    // A target holds no line break and no `<`, so the scan goes on where it stopped.
                    index = end
                    continue
                }
                index += 1
            }
            return nil
        }
    }

    private static func endsTarget(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "?") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "<")
    }
}
