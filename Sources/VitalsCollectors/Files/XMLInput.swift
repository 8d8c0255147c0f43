/// What the streaming XML readers (Cobertura, PMD CPD) share about `XMLParser`'s errors.
enum XMLInput {
    /// XMLParser's errors carry only libxml2's error number (FoundationXML's `ErrorCode` names do not line up with
    /// them on Linux), so the ones broken report files produce are named here.
    static func explain(_ code: Int) -> String {
        switch code {
        case 4: "expected an XML document"
        case 5: "the document ends early or has content after its root element"
        case 39, 40, 41: "an attribute is incomplete; expected name=\"value\""
        case 73: "a tag is not closed with '>'"
        case 76: "a closing tag does not match the open element"
        case 77: "a tag is not finished"
        default: "libxml2 error \(code)"
        }
    }
}
