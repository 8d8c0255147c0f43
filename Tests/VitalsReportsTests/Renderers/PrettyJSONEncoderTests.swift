import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

@testable import VitalsReports

/// ``PrettyJSONEncoder`` writes the bytes Foundation's `JSONEncoder` writes with the renderers' options (numbers that are
/// not finite as strings) and with Foundation's default for those (refused), failing where it fails, with the same error: over random reports and digests (strings with quotes, backslashes, control characters, `/`
/// and emoji; numbers of random bit patterns, integral, huge, tiny, negative zero and not finite) and a type that uses every
/// part of the `Encoder` protocol.
@Suite struct PrettyJSONEncoderTests {
    /// What an encoding gave: the JSON, or the error with its coding path.
    enum Outcome: Equatable, CustomStringConvertible {
        case json(String)
        case error(String)

        init(_ encode: () throws -> String) {
            do {
                self = .json(try encode())
            } catch EncodingError.invalidValue(let value, let context) {
                let path = context.codingPath.map { "\($0.stringValue)#\($0.intValue.map(String.init) ?? "-")" }
                self = .error("\(value) at \(path): \(context.debugDescription)")
            } catch {
                self = .error("\(error)")
            }
        }

        var description: String {
            switch self {
            case .json(let text): text
            case .error(let text): "error: \(text)"
            }
        }
    }

    /// Foundation's encoding; with `nonFiniteAsStrings`, numbers that are not finite as the renderers write them.
    static func foundation<T: Encodable>(_ value: T, snakeCase: Bool, nonFiniteAsStrings: Bool = false) -> Outcome {
        Outcome {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
            if nonFiniteAsStrings { encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN") }
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
    }

    static func ours<T: Encodable>(_ value: T, snakeCase: Bool, nonFiniteAsStrings: Bool = false) -> Outcome {
        Outcome {
            try PrettyJSONEncoder(convertsKeysToSnakeCase: snakeCase, nonFiniteNumbers: nonFiniteAsStrings ? .prometheus : nil).encode(value)
        }
    }

    /// Seeds in chunks, so a failure names a small range; every chunk has cases that encode and cases that fail.
    static let chunks = 0..<8
    static let casesPerChunk: UInt64 = 25

    @Test(arguments: chunks)
    func randomReportsEncodeAsFoundationEncodesThem(chunk: Int) throws {
        try Self.compare(chunk: chunk, snakeCase: false, make: { $0.report() }, render: { try JSONRenderer().render($0) })
    }

    @Test(arguments: chunks)
    func randomDigestsEncodeAsFoundationEncodesThem(chunk: Int) throws {
        try Self.compare(chunk: chunk, snakeCase: true, make: { $0.digest() }, render: { try DigestJSONRenderer().render($0) })
    }

    /// Each seed of `chunk`'s value encoded by both, refusing numbers that are not finite (as Foundation does by default)
    /// and writing them as strings; and by its renderer, which writes them as strings and so never fails.
    static func compare<T: Encodable>(
        chunk: Int, snakeCase: Bool, make: (inout RandomModels) -> T, render: (T) throws -> String
    ) throws {
        var failures = 0
        var refused = (json: 0, error: 0)
        for seed in UInt64(chunk) * casesPerChunk..<UInt64(chunk + 1) * casesPerChunk {
            var random = RandomModels(seed: seed)
            let value = make(&random)
            for nonFiniteAsStrings in [false, true] {
                let expected = foundation(value, snakeCase: snakeCase, nonFiniteAsStrings: nonFiniteAsStrings)
                let actual = ours(value, snakeCase: snakeCase, nonFiniteAsStrings: nonFiniteAsStrings)
                if actual != expected, failures < 3 {
                    failures += 1
                    Issue.record("seed \(seed)\(nonFiniteAsStrings ? " (strings)" : ""): \(firstDifference(actual.description, expected.description))")
                }
                switch (expected, nonFiniteAsStrings) {
                case (.json(let json), true): #expect(try render(value) == json + "\n", "seed \(seed)")
                case (.error, true): Issue.record("seed \(seed): Foundation failed with strings for non-finite numbers: \(expected)")
                case (.json, false): refused.json += 1
                case (.error, false): refused.error += 1
                }
            }
        }
        #expect(refused.json > 0 && refused.error > 0, "\(refused)")
    }

    @Test(arguments: chunks, [false, true])
    func everyPartOfTheEncoderProtocolEncodesAsFoundations(chunk: Int, snakeCase: Bool) {
        for seed in UInt64(chunk) * Self.casesPerChunk..<UInt64(chunk + 1) * Self.casesPerChunk {
            var random = RandomModels(seed: seed)
            let value = random.everything()
            for strings in [false, true] {
                let expected = Self.foundation(value, snakeCase: snakeCase, nonFiniteAsStrings: strings)
                let actual = Self.ours(value, snakeCase: snakeCase, nonFiniteAsStrings: strings)
                #expect(actual == expected, "seed \(seed), strings \(strings): \(Self.firstDifference(actual.description, expected.description))")
            }
        }
    }

    @Test func aTopLevelValueThatEncodesNothingFailsAsInFoundation() {
        #expect(Self.ours(Silent(), snakeCase: false) == Self.foundation(Silent(), snakeCase: false))
        #expect(Self.ours([Silent()], snakeCase: false) == Self.foundation([Silent()], snakeCase: false))
    }

    /// Where two outputs part, with a little context, so a failure shows the rule broken rather than 3 MB.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let actualBytes = Array(actual.utf8)
        let expectedBytes = Array(expected.utf8)
        let common = zip(actualBytes, expectedBytes).prefix { $0 == $1 }.count
        func around(_ bytes: [UInt8]) -> String {
            String(decoding: bytes[max(0, common - 60)..<min(bytes.count, common + 60)], as: UTF8.self).debugDescription
        }
        return "differ at byte \(common): ours \(around(actualBytes)), Foundation's \(around(expectedBytes))"
    }
}

/// Encodes nothing at all.
private struct Silent: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

/// Random reports, digests and values of every shape the `Encoder` protocol can write, from a seed.
struct RandomModels {
    var random: SplitMix64
    /// Whether this case's numbers may be infinite or not a number (one case in four), which Foundation refuses.
    let nonFinite: Bool

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        nonFinite = Int.random(in: 0..<4, using: &random) == 0
    }

    static let pieces = [
        "a", "Z", "q", "0", "9", " ", "_", "-", ".", "\"", "\\", "/", "//", "\\u0041", "\u{0}", "\u{7}", "\u{8}", "\t", "\n", "\u{B}",
        "\u{C}", "\r", "\u{E}", "\u{1B}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "ß", "漢", "🙂", "🇩🇪", "👩‍💻", "\r\n", "\u{2028}", "\u{FEFF}",
        "\u{10FFFF}",
    ]

    mutating func chance(_ one: Int) -> Bool { Int.random(in: 0..<one, using: &random) == 0 }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...choices.count - 1)] }
    mutating func optional<T>(_ make: (inout RandomModels) -> T) -> T? { chance(3) ? nil : make(&self) }
    mutating func array<T>(_ count: ClosedRange<Int>, _ make: (inout RandomModels) -> T) -> [T] { (0..<int(count)).map { _ in make(&self) } }

    mutating func string() -> String {
        array(0...10) { $0.pick(Self.pieces) }.joined()
    }

    /// Integral, huge, tiny, negative zero, a random bit pattern, ordinary; in a case with non-finite numbers, sometimes
    /// infinite or NaN.
    mutating func double() -> Double {
        if nonFinite, chance(6) { return pick([.infinity, -.infinity, .nan, -.nan, .signalingNaN, Double(bitPattern: 0x7FF0_0000_0000_0001)]) }
        switch int(0...9) {
        case 0: return finite(Double(bitPattern: random.next()))
        case 1: return Double(int(-1_000_000...1_000_000))
        case 2: return pick([0x1p53, 0x1p53 + 2, -0x1p53, 1e15, 1e16, 1e17, 123_456_789_012_345_678, 0x1p63, 1e21, 1e22, 1.7976931348623157e308])
        case 3: return pick([5e-324, 2.2250738585072014e-308, 1e-5, 1e-4, 0.001, 1e-7, 1.5e-300]) * (chance(2) ? 1 : -1)
        case 4: return pick([0.0, -0.0])
        case 5: return Double(int(0...400)) / 400
        case 6: return Double.random(in: 1...10, using: &random) * pow(10, Double(int(-320...308)))
        case 7: return Double(Int64.random(in: .min ... .max, using: &random))
        default: return Double.random(in: -1000...1000, using: &random)
        }
    }

    /// A random bit pattern's number, made finite (the top bit of its exponent cleared) when it is not.
    func finite(_ value: Double) -> Double {
        value.isFinite ? value : Double(bitPattern: value.bitPattern & ~(1 << 62))
    }

    mutating func float() -> Float {
        if nonFinite, chance(8) { return pick([.infinity, -.infinity, .nan]) }
        guard chance(2) else { return Float(int(-8000...8000)) / 8 }
        let value = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
        return value.isFinite ? value : Float(bitPattern: value.bitPattern & ~(1 << 30))
    }

    /// A finite number a sparkline can scale (its range does not overflow).
    mutating func dailyValue() -> Double {
        while true {
            let value = double()
            if value.isFinite, value.magnitude < 1e300 { return value }
        }
    }

    mutating func timestamp() -> Timestamp {
        Timestamp(milliseconds: Int64(int(0...4_102_444_800_000)) / (chance(2) ? 1000 : 1) * (chance(2) ? 1000 : 1))
    }

    mutating func period() -> Period {
        let (first, second) = (timestamp(), timestamp())
        return Period(from: min(first, second), to: max(first, second))
    }

    mutating func labels() -> Labels {
        Labels(Dictionary(array(0...4) { ($0.string(), $0.string()) }, uniquingKeysWith: { _, last in last }))
    }

    mutating func source() -> SourceReport {
        SourceReport(
            name: string(), type: string(), lastRunAt: optional { $0.timestamp() }, status: pick(SourceReport.Status.allCases),
            error: optional { $0.string() }, samplesWritten: optional { $0.int(Int.min...Int.max) }, stale: chance(2))
    }

    mutating func distribution() -> Distribution { Distribution(count: int(0...1000), median: double(), p90: double()) }

    mutating func counts() -> RawCounts {
        RawCounts(
            numerator: double(), denominator: double(), previousNumerator: optional { $0.double() }, previousDenominator: optional { $0.double() })
    }

    mutating func history() -> HistoryCoverage {
        HistoryCoverage(from: optional { $0.timestamp() }, daysCovered: int(0...400), daysInPeriod: int(0...400))
    }

    mutating func row() -> ReportRow {
        let metric = MetricDefinition(
            string(), family: pick(MetricFamily.allCases), kind: pick(MetricKind.allCases), unit: pick(MetricUnit.allCases), source: .git,
            title: string(), definition: string())
        let values = RowValues(
            value: optional { $0.double() }, previous: optional { $0.double() }, daily: array(0...40) { $0.optional { $0.dailyValue() } })
        var row = ReportRow(
            metric: metric, labels: labels(), kind: pick(ReportRow.Kind.allCases), unit: pick(MetricUnit.allCases), values: values,
            lastSampleAt: optional { $0.timestamp() }, source: optional { $0.source() },
            distribution: (optional { $0.distribution() }, optional { $0.distribution() }), counts: optional { $0.counts() })
        if chance(2) { row.trend = array(0...12) { $0.optional { $0.double() } } }
        if chance(4) { row.sparkline = string() }
        row.history = optional { $0.history() }
        row.lastEventAt = optional { $0.timestamp() }
        return row
    }

    mutating func report() -> Report {
        Report(
            generatedAt: timestamp(), timeZone: string(), period: period(), previousPeriod: period(),
            sections: array(0...3) {
                ReportSection(
                    family: $0.pick(MetricFamily.allCases), rows: $0.array(0...4) { $0.row() }, sourcesWithoutData: $0.array(0...2) { $0.string() })
            },
            sources: array(0...3) { $0.source() }, trendBucketDays: int(Int.min...Int.max))
    }

    mutating func threshold() -> MetricThreshold {
        MetricThreshold(better: pick(MetricThreshold.Direction.allCases), good: double(), warn: double(), bad: double())
    }

    mutating func digestRow() -> DigestRow {
        DigestRow(
            metric: string(), title: string(), name: string(), labels: labels(), unit: pick(MetricUnit.allCases), kind: pick(ReportRow.Kind.allCases),
            value: optional { $0.double() }, previous: optional { $0.double() }, change: optional { $0.double() },
            changeRatio: optional { $0.double() },
            counts: optional { $0.counts() }, distribution: optional { $0.distribution() }, previousDistribution: optional { $0.distribution() },
            item: optional { $0.string() }, items: optional { $0.string() },
            dora: optional { DoraLevel(level: $0.pick(DoraLevel.Level.allCases), basis: $0.string()) },
            breakdown: array(0...3) {
                BreakdownEntry(
                    label: $0.string(), value: $0.string(), now: $0.optional { $0.double() }, previous: $0.optional { $0.double() },
                    counts: $0.optional { $0.counts() })
            },
            trend: array(0...12) { $0.optional { $0.double() } }, sparkline: string(), threshold: optional { $0.threshold() },
            grade: optional { $0.pick(MetricThreshold.Grade.allCases) }, score: optional { $0.double() }, status: pick(RowStatus.allCases),
            statusDetail: optional { $0.string() }, history: history(), lastSampleAt: optional { $0.timestamp() },
            lastEventAt: optional { $0.timestamp() },
            source: optional { $0.string() })
    }

    mutating func lookAt() -> LookAtItem {
        LookAtItem(
            metric: string(), name: string(), fingerprint: string(), value: optional { $0.double() }, valueText: string(), threshold: threshold(),
            thresholdText: string(), grade: pick(MetricThreshold.Grade.allCases), score: double(), trendText: string(), recommendation: string())
    }

    mutating func alert() -> DigestAlert {
        DigestAlert(
            rule: string(), labels: labels(), severity: optional { $0.string() }, firedAt: timestamp(), resolvedAt: optional { $0.timestamp() },
            durationSeconds: Int64.random(in: .min ... .max, using: &random))
    }

    mutating func digest() -> Digest {
        Digest(
            name: string(), title: string(), generatedAt: timestamp(), timeZone: string(), period: period(), comparison: string(),
            comparisonPeriod: period(), score: optional { $0.int(Int.min...Int.max) }, unscored: array(0...2) { $0.string() },
            sections: array(0...3) {
                DigestSection(
                    title: $0.string(), family: $0.pick(MetricFamily.allCases), score: $0.optional { $0.int(-100...100) },
                    rows: $0.array(0...3) { $0.digestRow() },
                    unscored: $0.array(0...2) { $0.string() }, sourcesWithoutData: $0.array(0...2) { $0.string() })
            },
            lookAt: array(0...2) { $0.lookAt() },
            alerts: optional { DigestAlerts(firing: $0.array(0...2) { $0.alert() }, resolved: $0.array(0...2) { $0.alert() }) },
            delivery: DigestDelivery(
                since: optional { $0.timestamp() },
                deadLetters: array(0...2) {
                    ReportDeadLetter(
                        channel: $0.string(), key: $0.string(), message: $0.string(), error: $0.string(), attempts: $0.int(0...10),
                        deadAt: $0.timestamp())
                }),
            sources: array(0...2) { $0.source() }, channels: array(0...2) { $0.string() }, trendPeriod: period(), trendBucket: string(),
            trendBucketDays: int(1...70))
    }

    /// A key for the snake-case conversion: camel case, runs of capitals, digits, underscores, now and then beyond ASCII.
    mutating func key() -> String {
        let pieces = ["a", "b", "z", "A", "B", "Z", "URL", "Id", "_", "__", "1", "9", "-", " ", "é", "É", "ǅ", "ß", "Σ", "🙂", "\r\n"]
        let ascii = pieces.prefix(13)
        return array(0...6) { $0.chance(8) ? $0.pick(pieces) : $0.pick(Array(ascii)) }.joined()
    }

    mutating func everything() -> Everything {
        Everything(
            members: array(0...6) { ($0.key(), $0.optional { $0.double() }) }, strings: array(0...3) { ($0.key(), $0.string()) },
            dictionary: Dictionary(array(0...4) { ($0.key(), $0.double()) }, uniquingKeysWith: { _, last in last }),
            numbers: array(0...4) { $0.double() }, floats: array(0...3) { $0.float() },
            integers: array(0...3) { Int8.random(in: .min ... .max, using: &$0.random) },
            nested: chance(2) ? nil : Box(Everything.leaf(string())), optionals: array(0...3) { $0.optional { $0.string() } },
            url: URL(string: "https://example.org/\(int(0...9))/a?b=c"), decimal: Decimal(string: "\(int(-999...999)).\(int(0...99))"),
            byIntegerKey: Dictionary(array(0...3) { ($0.int(-9...9), $0.string()) }, uniquingKeysWith: { _, last in last }),
            duplicateKey: chance(2), useSuper: chance(2))
    }
}

/// A reference, so ``Everything`` can hold one of itself.
final class Box<Value: Encodable>: Encodable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

/// A value that writes through every part of the `Encoder` protocol: dynamic keys (snake-case conversion), nested keyed and
/// unkeyed containers, a key written twice, containers asked for twice, super encoders, single values of every number
/// type, empty objects and arrays, optionals present and absent, dictionaries with string and integer keys, URL, Decimal.
struct Everything: Encodable {
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ stringValue: String) { self.stringValue = stringValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var members: [(String, Double?)] = []
    var strings: [(String, String)] = []
    var dictionary: [String: Double] = [:]
    var numbers: [Double] = []
    var floats: [Float] = []
    var integers: [Int8] = []
    var nested: Box<Everything>?
    var optionals: [String?] = []
    var url: URL?
    var decimal: Decimal?
    var byIntegerKey: [Int: String] = [:]
    var duplicateKey = false
    var useSuper = false

    static func leaf(_ text: String) -> Everything {
        Everything(strings: [("leafText", text)])
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in members { try container.encodeIfPresent(value, forKey: Key(key)) }
        for (key, value) in strings { try container.encode(value, forKey: Key(key)) }
        try container.encode(dictionary, forKey: Key("someDictionary"))
        try container.encode(numbers, forKey: Key("numberList"))
        try container.encode(floats, forKey: Key("floatList"))
        try container.encode(integers, forKey: Key("int8List"))
        try container.encodeIfPresent(nested, forKey: Key("nestedValue"))
        try container.encode(optionals, forKey: Key("optionalStrings"))
        try container.encodeIfPresent(url, forKey: Key("homePage"))
        try container.encodeIfPresent(decimal, forKey: Key("exactAmount"))
        try container.encode(byIntegerKey, forKey: Key("byInteger"))
        try container.encode([String: Int](), forKey: Key("emptyObject"))
        try container.encode([Double](), forKey: Key("emptyArray"))
        try container.encode(Silent(), forKey: Key("silentValue"))
        var numbers = container.nestedUnkeyedContainer(forKey: Key("everyNumberType"))
        try numbers.encode(Int.min)
        try numbers.encode(Int8.min)
        try numbers.encode(Int16.max)
        try numbers.encode(Int32.min)
        try numbers.encode(Int64.max)
        try numbers.encode(UInt.max)
        try numbers.encode(UInt8.max)
        try numbers.encode(UInt16.max)
        try numbers.encode(UInt32.max)
        try numbers.encode(UInt64.max)
        try numbers.encode(Float(0.1))
        try numbers.encode(true)
        try numbers.encodeNil()
        var inner = numbers.nestedContainer(keyedBy: Key.self)
        try inner.encode(members.first?.1 ?? 1, forKey: Key("innerNumber"))
        var deeper = numbers.nestedUnkeyedContainer()
        try deeper.encode("deep")
        _ = numbers.nestedUnkeyedContainer()
        _ = container.nestedContainer(keyedBy: Key.self, forKey: Key("emptyNested"))
        var again = container.nestedContainer(keyedBy: Key.self, forKey: Key("emptyNested"))
        try again.encode(false, forKey: Key("secondVisit"))
        if duplicateKey {
            try container.encode("first", forKey: Key("sameKey"))
            try container.encode(2, forKey: Key("sameKey"))
        }
        if useSuper {
            try "from super".encode(to: container.superEncoder())
            try [1, 2].encode(to: container.superEncoder(forKey: Key("superKey")))
            var list = container.nestedUnkeyedContainer(forKey: Key("withSuper"))
            try list.encode("before")
            try Silent().encode(to: list.superEncoder())
            try list.encode("after")
        }
        var secondLook = encoder.container(keyedBy: Key.self)
        try secondLook.encode("seen", forKey: Key("secondContainer"))
    }
}
