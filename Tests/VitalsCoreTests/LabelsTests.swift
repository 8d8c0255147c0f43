import Testing
import VitalsCore

@Suite struct LabelsTests {
    @Test func orderDoesNotMatterAndEmptyValuesAreDropped() {
        let a = Labels(["repo": "vitals", "level": "error", "empty": ""])
        let b: Labels = ["level": "error", "repo": "vitals"]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.canonical == #"level="error",repo="vitals""#)
    }

    @Test(arguments: [
        Labels(["a": "plain"]), Labels(["q": #"say "hi""#, "b": #"back\slash"#]), Labels(["n": "line\nbreak", "c": "comma,=equals"]),
        Labels.empty,
    ])
    func canonicalTextRoundTrips(labels: Labels) {
        #expect(Labels(canonical: labels.canonical) == labels)
    }

    @Test(arguments: ["a=b", #"a="b"#, #"="b""#, #"a="b"x"#])
    func malformedCanonicalTextIsRejected(text: String) {
        #expect(Labels(canonical: text) == nil)
    }
}
