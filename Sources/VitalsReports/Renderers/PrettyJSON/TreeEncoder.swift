import Foundation

/// The `Encoder` of ``PrettyJSONEncoder``: builds the ``JSONNode`` tree a value encodes to, as Foundation's
/// `__JSONEncoder` builds its own, with the same special cases (a `URL` as its absolute string, a `Decimal` as its
/// description, a string-keyed dictionary's keys never converted) and the same errors, coding paths included.
///
/// A value of a common type (a string, a number, an optional number, an array of optional numbers) is stored directly,
/// where Foundation makes an encoder for it; what is stored is what that value's `encode(to:)` would have written.
final class TreeEncoder: Encoder, SingleValueEncodingContainer {
    let keys: KeyConversion
    private let parent: TreeEncoder?
    private let key: (any CodingKey)?
    /// Kept by the top-level encoder only (see ``nonFiniteNumbers``).
    private let topLevelNonFiniteNumbers: NonFiniteNumbers?
    // Foundation's three slots: a value written whole, or the keyed or unkeyed container asked for (which wins).
    private var single: JSONNode?
    private var object: JSONObject?
    private var array: JSONArray?

    init(keys: KeyConversion, nonFiniteNumbers: NonFiniteNumbers? = nil, parent: TreeEncoder? = nil, key: (any CodingKey)? = nil) {
        self.keys = keys
        self.parent = parent
        self.key = key
        topLevelNonFiniteNumbers = nonFiniteNumbers
    }

    /// How numbers that are not finite are written (nil: refused), looked up at the top-level encoder: they are rare, and
    /// every nested encoder stays a word smaller.
    var nonFiniteNumbers: NonFiniteNumbers? {
        var encoder = self
        while let parent = encoder.parent { encoder = parent }
        return encoder.topLevelNonFiniteNumbers
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var encoder: TreeEncoder? = self
        while let current = encoder, let key = current.key {
            path.append(key)
            encoder = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// What was encoded here, if anything; taken, so that this encoder can encode a value of its own next.
    func takeValue() -> JSONNode? {
        if let object {
            self.object = nil
            return .object(object)
        }
        if let array {
            self.array = nil
            return .array(array)
        }
        defer { single = nil }
        return single
    }

    func path(_ position: Position) -> [any CodingKey] {
        switch position {
        case .here: codingPath
        case .key(let key): codingPath + [key]
        case .index(let index): codingPath + [IndexKey(index)]
        }
    }

    /// The encoder a value at `position` encodes into: this one, or a new one under it.
    func encoder(at position: Position) -> TreeEncoder {
        switch position {
        case .here: self
        case .key(let key): TreeEncoder(keys: keys, parent: self, key: key)
        case .index(let index): TreeEncoder(keys: keys, parent: self, key: IndexKey(index))
        }
    }

    // MARK: Values

    /// The node `value` encodes to at `position`, nil when it encodes nothing (Foundation's `wrapGeneric`).
    func wrap<T: Encodable>(_ value: T, at position: Position) throws -> JSONNode? {
        // The common types, exactly as their `encode(to:)` writes them through a single-value container.
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Double.self { return try number(unsafeBitCast(value, to: Double.self), at: position) }
        if T.self == Double?.self {
            guard let number = unsafeBitCast(value, to: Double?.self) else { return .null }
            return try self.number(number, at: position)
        }
        if T.self == Int.self { return .number(unsafeBitCast(value, to: Int.self).description) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == [Double?].self { return try numbers(unsafeBitCast(value, to: [Double?].self), at: position) }
        // Foundation's own special cases, in its order.
        if let url = value as? URL { return .string(url.absoluteString) }
        if let decimal = value as? Decimal { return .number(decimal.description) }
        if keys.toSnakeCase, let dictionary = value as? any StringKeyedDictionary { return try dictionary.node(in: self) }
        let encoder = encoder(at: position)
        try value.encode(to: encoder)
        return encoder.takeValue()
    }

    /// A finite number's `description` without a trailing `.0` (`3`, `0.25`, `1e-07`, `-0`); a non-finite one is written as
    /// its string of ``nonFiniteNumbers``, or refused without them, as by Foundation's `nonConformingFloatEncodingStrategy`.
    func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, at position: Position) throws -> JSONNode {
        guard value.isFinite else {
            if let strings = nonFiniteNumbers { return .string(strings.text(value)) }
            throw EncodingError.invalidValue(value, .init(codingPath: path(position), debugDescription: Self.refusal(value)))
        }
        var text = value.description
        if text.utf8.count >= 2, text.utf8.last == UInt8(ascii: "0"), text.utf8.dropLast().last == UInt8(ascii: ".") {
            text.removeLast(2)
        }
        return .number(text)
    }

    /// Foundation's words for a non-finite number; its type only `BinaryFloatingPoint`, as there, so that the number
    /// prints as Foundation prints it (`Double.-nan`, `Double.snan(0x1)`).
    private static func refusal<F: BinaryFloatingPoint>(_ value: F) -> String {
        "Unable to encode \(F.self).\(value) directly in JSON."
    }

    /// An array of optional numbers, as `Array.encode(to:)` writes it through an unkeyed container.
    private func numbers(_ values: [Double?], at position: Position) throws -> JSONNode {
        var elements: [JSONNode] = []
        elements.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            guard let value else {
                elements.append(.null)
                continue
            }
            guard value.isFinite else {
                // Its string, or the error as the element's own encoder reports it.
                if let strings = nonFiniteNumbers {
                    elements.append(.string(strings.text(value)))
                    continue
                }
                return try encoder(at: position).number(value, at: .index(index))
            }
            elements.append(try number(value, at: position))
        }
        return .array(JSONArray(elements))
    }

    // MARK: Encoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if let object { return KeyedEncodingContainer(KeyedContainer(encoder: self, object: object, nestedPath: [])) }
        if let existing = single?.object {
            single = nil
            object = existing
            return KeyedEncodingContainer(KeyedContainer(encoder: self, object: existing, nestedPath: []))
        }
        precondition(single == nil && array == nil, "Attempt to push new keyed encoding container when already previously encoded at this path.")
        let object = JSONObject()
        self.object = object
        return KeyedEncodingContainer(KeyedContainer(encoder: self, object: object, nestedPath: []))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if let array { return UnkeyedContainer(encoder: self, array: array, nestedPath: []) }
        if let existing = single?.array {
            single = nil
            array = existing
            return UnkeyedContainer(encoder: self, array: existing, nestedPath: [])
        }
        precondition(single == nil && object == nil, "Attempt to push new unkeyed encoding container when already previously encoded at this path.")
        let array = JSONArray()
        self.array = array
        return UnkeyedContainer(encoder: self, array: array, nestedPath: [])
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    // MARK: SingleValueEncodingContainer

    private func set(_ node: JSONNode) {
        precondition(single == nil, "Attempt to encode value through single value container when previously value already encoded.")
        single = node
    }

    func encodeNil() throws { set(.null) }
    func encode(_ value: Bool) throws { set(.bool(value)) }
    func encode(_ value: String) throws { set(.string(value)) }
    func encode(_ value: Double) throws { set(try number(value, at: .here)) }
    func encode(_ value: Float) throws { set(try number(value, at: .here)) }
    func encode(_ value: Int) throws { set(.number(value.description)) }
    func encode(_ value: Int8) throws { set(.number(value.description)) }
    func encode(_ value: Int16) throws { set(.number(value.description)) }
    func encode(_ value: Int32) throws { set(.number(value.description)) }
    func encode(_ value: Int64) throws { set(.number(value.description)) }
    func encode(_ value: UInt) throws { set(.number(value.description)) }
    func encode(_ value: UInt8) throws { set(.number(value.description)) }
    func encode(_ value: UInt16) throws { set(.number(value.description)) }
    func encode(_ value: UInt32) throws { set(.number(value.description)) }
    func encode(_ value: UInt64) throws { set(.number(value.description)) }

    func encode<T: Encodable>(_ value: T) throws {
        precondition(single == nil, "Attempt to encode value through single value container when previously value already encoded.")
        single = try wrap(value, at: .here) ?? .object(JSONObject())
    }
}

/// A `String`-keyed dictionary: under a key conversion, Foundation writes its keys as they are.
private protocol StringKeyedDictionary {
    func node(in encoder: TreeEncoder) throws -> JSONNode
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    fileprivate func node(in encoder: TreeEncoder) throws -> JSONNode {
        let object = JSONObject()
        // Foundation walks a copy typed `[String: any Encodable]`, whose order decides which of two refused numbers it reports.
        for (key, value) in self as [String: any Encodable] {
            object.set(try encoder.wrap(value, at: .key(StringKey(stringValue: key))) ?? .object(JSONObject()), for: key)
        }
        return .object(object)
    }
}
