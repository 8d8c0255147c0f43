import Testing
import VitalsCore
import VitalsTestSupport

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
        Labels(["nul": "a\u{0}b", "z": "\\0"]), Labels.empty,
    ])
    func canonicalTextRoundTrips(labels: Labels) {
        #expect(Labels(canonical: labels.canonical) == labels)
    }

    @Test(arguments: ["a=b", #"a="b"#, #"="b""#, #"a="b"x"#])
    func malformedCanonicalTextIsRejected(text: String) {
        #expect(Labels(canonical: text) == nil)
    }
}

/// Random label sets over names and values chosen to meet every edge of the canonical text: names that prefix each other,
/// characters that are escaped (NUL among them, beside the letter it is escaped as), commas and equals signs, non-ASCII text
/// and a combining mark.
@Suite struct LabelsPropertyTests {
    static let names = ["a", "ab", "a_b", "b", "__name__", "Z", "é"]
    static let values = [
        "x", "xy", "x\"", "x\\", "x\ny", "a,b=c", "é", "e\u{301}", "\u{301}", "\\\u{301}", "", "1", "x\u{0}", "\u{0}y", "x0", "x\\0",
    ]

    static func randomLabels(_ generator: inout SplitMix64) -> Labels {
        var dictionary: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...3, using: &generator) {
            dictionary[names.randomElement(using: &generator)!] = values.randomElement(using: &generator)!
        }
        return Labels(dictionary)
    }

    @Test func orderIsTheOrderOfTheCanonicalTexts() {
        var generator = SplitMix64(seed: 7)
        let sets = (0..<200).map { _ in Self.randomLabels(&generator) }
        for lhs in sets {
            for rhs in sets {
                #expect((lhs < rhs) == (lhs.canonical < rhs.canonical), "\(lhs) < \(rhs)")
            }
        }
    }

    @Test func canonicalTextRoundTripsAndIsSortedByName() {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            let labels = Self.randomLabels(&generator)
            #expect(Labels(canonical: labels.canonical) == labels, "\(labels.canonical)")
            #expect(!labels.canonical.utf8.contains(0), "a stored text holds no NUL: \(labels.canonical)")
            #expect(labels.pairs.map(\.name) == labels.pairs.map(\.name).sorted())
        }
    }

    @Test func settingAPairMatchesRebuildingFromADictionary() {
        var generator = SplitMix64(seed: 13)
        for _ in 0..<2_000 {
            let labels = Self.randomLabels(&generator)
            let name = Self.names.randomElement(using: &generator)!
            let value = Bool.random(using: &generator) ? Self.values.randomElement(using: &generator)! : nil
            var dictionary = labels.dictionary
            dictionary[name] = value
            #expect(labels.setting(name, to: value) == Labels(dictionary), "\(labels) setting \(name) to \(value ?? "nil")")
        }
    }

    @Test(arguments: [
        (#"a="x",b="y""#, ["a": "x", "b": "y"]),
        (#"b="y",a="x""#, ["a": "x", "b": "y"]),
        (#"a="x",a="y""#, ["a": "y"]),
        (#"a="x","#, ["a": "x"]),
        (#"a="",b="y""#, ["b": "y"]),
        (#"q="a\"b\\c\nd""#, ["q": "a\"b\\c\nd"]),
    ])
    func textsNotInCanonicalFormParseAsADictionaryWould(text: String, expected: [String: String]) {
        #expect(Labels(canonical: text) == Labels(expected))
    }
}
