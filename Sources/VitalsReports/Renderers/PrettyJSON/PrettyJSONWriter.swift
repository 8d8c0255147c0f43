/// Writes a ``JSONNode`` tree as Foundation's `JSONWriter` (swift-foundation, Swift 6.3) does with `.sortedKeys`,
/// `.prettyPrinted` and `.withoutEscapingSlashes`: two spaces per level, `"key" : value`, an empty array or object as
/// `[`/`{`, an empty line and the closing bracket, no newline at the end.
struct PrettyJSONWriter {
    /// Foundation refuses containers nested this deep.
    private static let maximumDepth = 512

    private(set) var bytes: [UInt8] = []
    private var indent = 0

    struct TooDeep: Error {}

    mutating func write(_ node: JSONNode, depth: Int = 0) throws(TooDeep) {
        switch node {
        case .null: append("null")
        case .bool(let value): append(value ? "true" : "false")
        case .number(let text): append(text)
        case .string(let text): writeString(text)
        case .array(let array): try writeArray(array.elements, depth: depth + 1)
        case .object(let object): try writeObject(object, depth: depth + 1)
        case .deferred(let encoder): try write(encoder.takeValue() ?? .object(JSONObject()), depth: depth)
        }
    }

    private mutating func writeArray(_ elements: [JSONNode], depth: Int) throws(TooDeep) {
        guard depth < Self.maximumDepth else { throw TooDeep() }
        bytes.append(UInt8(ascii: "["))
        bytes.append(UInt8(ascii: "\n"))
        indent += 1
        for (index, element) in elements.enumerated() {
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
                bytes.append(UInt8(ascii: "\n"))
            }
            writeIndent()
            try write(element, depth: depth)
        }
        bytes.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func writeObject(_ object: JSONObject, depth: Int) throws(TooDeep) {
        guard depth < Self.maximumDepth else { throw TooDeep() }
        bytes.append(UInt8(ascii: "{"))
        bytes.append(UInt8(ascii: "\n"))
        indent += 1
        for (index, member) in object.sortedMembers.enumerated() {
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
                bytes.append(UInt8(ascii: "\n"))
            }
            writeIndent()
            writeString(member.key)
            append(" : ")
            try write(member.value, depth: depth)
        }
        bytes.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func writeIndent() {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Quotes and backslashes escaped, backspace, form feed, newline, return and tab by their letters, other control
    /// characters as `\u00xx` (lower-case hex); `/`, DEL and everything beyond ASCII as they are.
    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
