import Foundation
import VitalsCore

/// Encodes a value to the very bytes Foundation's `JSONEncoder` writes with `outputFormatting = [.sortedKeys,
/// .prettyPrinted, .withoutEscapingSlashes]` (and `keyEncodingStrategy = .convertToSnakeCase`, and
/// `nonConformingFloatEncodingStrategy = .convertToString(…)`, when asked), in a fraction of its time.
///
/// The report's JSON is a published contract that users diff, so the rules are Foundation's (swift-foundation as Swift 6.3
/// ships it on Linux), each kept: see ``PrettyJSONWriter`` for the layout and strings, ``TreeEncoder`` for values. The
/// models keep their `encode(to:)`: this is an `Encoder`, so a field a model gains is written as Foundation would write it.
///
/// Where Foundation's time went (a third of a 365-day report's): an encoder object and five casts for every value, a
/// daily number included, and a dictionary for every object. Here values of the common types are stored directly.
struct PrettyJSONEncoder {
    var convertsKeysToSnakeCase = false
    /// The strings a number that is not finite is written as; nil refuses it, as Foundation does by default.
    var nonFiniteNumbers: NonFiniteNumbers?

    func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = TreeEncoder(keys: KeyConversion(toSnakeCase: convertsKeysToSnakeCase), nonFiniteNumbers: nonFiniteNumbers)
        guard let node = try encoder.wrap(value, at: .here) else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Top-level \(T.self) did not encode any values."))
        }
        var writer = PrettyJSONWriter()
        do {
            try writer.write(node)
        } catch {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Unable to encode the given top-level value to JSON."))
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// The JSON strings numbers that are not finite are written as (Foundation's `.convertToString`): NaN of any sign or
/// payload as `nan`.
struct NonFiniteNumbers {
    let positiveInfinity: String
    let negativeInfinity: String
    let nan: String

    /// As Prometheus's HTTP API writes sample values, and the outbox its payloads.
    static let prometheus = NonFiniteNumbers(
        positiveInfinity: NonFiniteNumberText.positiveInfinity, negativeInfinity: NonFiniteNumberText.negativeInfinity, nan: NonFiniteNumberText.nan)

    /// The string for `value`, which is not finite.
    func text<F: BinaryFloatingPoint>(_ value: F) -> String {
        value == .infinity ? positiveInfinity : value == -.infinity ? negativeInfinity : nan
    }
}

/// The keys as they are written: as the types give them, or in snake case as Foundation converts them.
final class KeyConversion {
    let toSnakeCase: Bool
    private var converted: [String: String] = [:]

    init(toSnakeCase: Bool) {
        self.toSnakeCase = toSnakeCase
    }

    func callAsFunction(_ key: some CodingKey) -> String {
        guard toSnakeCase else { return key.stringValue }
        if let known = converted[key.stringValue] { return known }
        let snakeCase = SnakeCaseKey.converting(key.stringValue)
        converted[key.stringValue] = snakeCase
        return snakeCase
    }
}

/// Where a value goes relative to the encoder that encodes it: into the encoder itself (a single value), or under a key
/// or at an index of its container; the coding path of a nested encoder and of an error.
enum Position {
    case here
    case key(any CodingKey)
    case index(Int)
}

/// The index key of Foundation's unkeyed containers, as coding paths show it.
struct IndexKey: CodingKey {
    let index: Int

    init(_ index: Int) {
        self.index = index
    }

    init?(stringValue: String) { nil }

    init?(intValue: Int) {
        index = intValue
    }

    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}

/// A key from a string, for a dictionary's entries.
struct StringKey: CodingKey {
    let stringValue: String

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) { nil }

    var intValue: Int? { nil }
}
