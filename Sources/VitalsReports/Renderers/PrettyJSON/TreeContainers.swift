/// The keyed container of ``TreeEncoder``: writes into an object of the tree, keys converted as the encoding asks.
struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: TreeEncoder
    let object: JSONObject
    /// The keys of the nested containers this one is in, within its encoder (Foundation leaves them out of the paths of the
    /// values' encoders and errors, so this does too).
    let nestedPath: [any CodingKey]

    var codingPath: [any CodingKey] { encoder.codingPath + nestedPath }

    private func set(_ node: JSONNode, _ key: Key) {
        object.set(node, for: encoder.keys(key))
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try encoder.number(value, at: .key(key)), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try encoder.number(value, at: .key(key)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.number(value.description), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.number(value.description), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        set(try encoder.wrap(value, at: .key(key)) ?? .object(JSONObject()), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = nested(under: key, \.object, JSONNode.object) { JSONObject() }
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, object: nested, nestedPath: nestedPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnkeyedContainer(encoder: encoder, array: nested(under: key, \.array, JSONNode.array) { JSONArray() }, nestedPath: nestedPath + [key])
    }

    /// The object or array under `key` that a nested container writes into: the one there already, or a new one; Foundation
    /// refuses a key that holds another kind of value.
    private func nested<Node>(under key: Key, _ node: (JSONNode) -> Node?, _ wrap: (Node) -> JSONNode, new: () -> Node) -> Node {
        let name = encoder.keys(key)
        guard let existing = object.value(for: name) else {
            let created = new()
            object.set(wrap(created), for: name)
            return created
        }
        guard let nested = node(existing) else {
            preconditionFailure(
                "Attempt to re-encode into a nested container for key \"\(name)\" is invalid: another kind of value already encoded for this key")
        }
        return nested
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(key: StringKey(stringValue: "super"), name: encoder.keys(StringKey(stringValue: "super")))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(key: key, name: encoder.keys(key))
    }

    private func superEncoder(key: any CodingKey, name: String) -> any Encoder {
        let superEncoder = TreeEncoder(keys: encoder.keys, parent: encoder, key: key)
        object.set(.deferred(superEncoder), for: name)
        return superEncoder
    }
}

/// The unkeyed container of ``TreeEncoder``: appends to an array of the tree.
struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoder: TreeEncoder
    let array: JSONArray
    /// As ``KeyedContainer/nestedPath``.
    let nestedPath: [any CodingKey]

    var codingPath: [any CodingKey] { encoder.codingPath + nestedPath }
    var count: Int { array.elements.count }

    private func append(_ node: JSONNode) {
        array.elements.append(node)
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try encoder.number(value, at: .index(count))) }
    mutating func encode(_ value: Float) throws { append(try encoder.number(value, at: .index(count))) }
    mutating func encode(_ value: Int) throws { append(.number(value.description)) }
    mutating func encode(_ value: Int8) throws { append(.number(value.description)) }
    mutating func encode(_ value: Int16) throws { append(.number(value.description)) }
    mutating func encode(_ value: Int32) throws { append(.number(value.description)) }
    mutating func encode(_ value: Int64) throws { append(.number(value.description)) }
    mutating func encode(_ value: UInt) throws { append(.number(value.description)) }
    mutating func encode(_ value: UInt8) throws { append(.number(value.description)) }
    mutating func encode(_ value: UInt16) throws { append(.number(value.description)) }
    mutating func encode(_ value: UInt32) throws { append(.number(value.description)) }
    mutating func encode(_ value: UInt64) throws { append(.number(value.description)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        append(try encoder.wrap(value, at: .index(count)) ?? .object(JSONObject()))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObject()
        let index = count
        append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(encoder: encoder, object: nested, nestedPath: nestedPath + [IndexKey(index)]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArray()
        let index = count
        append(.array(nested))
        return UnkeyedContainer(encoder: encoder, array: nested, nestedPath: nestedPath + [IndexKey(index)])
    }

    mutating func superEncoder() -> any Encoder {
        let superEncoder = TreeEncoder(keys: encoder.keys, parent: encoder, key: IndexKey(count))
        append(.deferred(superEncoder))
        return superEncoder
    }
}
