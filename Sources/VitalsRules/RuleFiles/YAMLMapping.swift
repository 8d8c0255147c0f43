import VitalsCore
import Yams

/// A YAML mapping being read into a rule-file type: checks its keys against the allowed ones and reads typed values,
/// throwing ``RuleFileError`` at the offending node for anything malformed.
struct YAMLMapping {
    let file: String
    let position: SourcePosition
    private let entries: [(key: String, keyPosition: SourcePosition, value: Node)]

    /// Reads `node` as a mapping of `what` (e.g. "a rule") whose keys must be among `allowed`.
    init(_ node: Node, file: String, what: String, allowed: [String]) throws(RuleFileError) {
        self.file = file
        position = YAMLMapping.position(of: node, in: file)
        guard case .mapping(let mapping) = node else {
            throw RuleFileError(at: position, "expected \(what) as a mapping of \(allowed.joined(separator: ", ")), found \(node.kindName)")
        }
        var entries: [(key: String, keyPosition: SourcePosition, value: Node)] = []
        for (keyNode, value) in mapping {
            let keyPosition = YAMLMapping.position(of: keyNode, in: file)
            guard let key = keyNode.scalar?.string else {
                throw RuleFileError(at: keyPosition, "expected a key name in \(what), found \(keyNode.kindName)")
            }
            guard allowed.contains(key) else {
                let hint = DidYouMean.suggestion(for: key, among: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                throw RuleFileError(at: keyPosition, "unknown key '\(key)' in \(what)\(hint); allowed keys: \(allowed.joined(separator: ", "))")
            }
            entries.append((key, keyPosition, value))
        }
        self.entries = entries
    }

    static func position(of node: Node, in file: String) -> SourcePosition {
        SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    var keyPositions: [String: SourcePosition] {
        Dictionary(entries.map { ($0.key, $0.keyPosition) }, uniquingKeysWith: { first, _ in first })
    }

    func node(_ key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    func has(_ key: String) -> Bool { node(key) != nil }

    func keyPosition(_ key: String) -> SourcePosition? {
        entries.first { $0.key == key }?.keyPosition
    }

    func valuePosition(_ key: String) -> SourcePosition? {
        node(key).map { YAMLMapping.position(of: $0, in: file) }
    }

    func scalar(_ key: String, expecting: String) throws(RuleFileError) -> Node.Scalar? {
        guard let node = node(key) else { return nil }
        guard let scalar = node.scalar else {
            throw RuleFileError(at: YAMLMapping.position(of: node, in: file), "'\(key)' must be \(expecting), found \(node.kindName)")
        }
        return scalar
    }

    func string(_ key: String) throws(RuleFileError) -> String? {
        try scalar(key, expecting: "a string")?.string
    }

    func requiredString(_ key: String, what: String) throws(RuleFileError) -> String {
        guard let value = try string(key) else { throw RuleFileError(at: position, "\(what) has no '\(key)'") }
        guard !value.isEmpty else { throw RuleFileError(at: valuePosition(key) ?? position, "'\(key)' must not be empty") }
        return value
    }

    func duration(_ key: String) throws(RuleFileError) -> TimeSpan? {
        guard let text = try scalar(key, expecting: "a duration such as 5m")?.string else { return nil }
        do {
            return try TimeSpan(parsing: text)
        } catch {
            throw RuleFileError(at: valuePosition(key) ?? position, "'\(key)': \(error)")
        }
    }

    func int(_ key: String) throws(RuleFileError) -> Int? {
        guard let text = try scalar(key, expecting: "a whole number")?.string else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw RuleFileError(at: valuePosition(key) ?? position, "'\(key)' must be a whole number of 0 or more, found '\(text)'")
        }
        return value
    }

    func bool(_ key: String) throws(RuleFileError) -> Bool? {
        guard let scalar = try scalar(key, expecting: "true or false") else { return nil }
        guard let value = Node.scalar(scalar).bool else {
            throw RuleFileError(at: valuePosition(key) ?? position, "'\(key)' must be true or false, found '\(scalar.string)'")
        }
        return value
    }

    func choice<Value: RawRepresentable<String>>(_ key: String, allowed: String) throws(RuleFileError) -> Value? {
        guard let text = try scalar(key, expecting: "one of \(allowed)")?.string else { return nil }
        guard let value = Value(rawValue: text) else {
            throw RuleFileError(at: valuePosition(key) ?? position, "'\(key)' must be one of \(allowed), found '\(text)'")
        }
        return value
    }

    /// A mapping of strings to strings (`labels:`, `annotations:`).
    func stringMap(_ key: String) throws(RuleFileError) -> [String: String] {
        guard let node = node(key) else { return [:] }
        if case .scalar(let scalar) = node, Node.scalar(scalar).null != nil { return [:] }
        guard case .mapping(let mapping) = node else {
            throw RuleFileError(
                at: YAMLMapping.position(of: node, in: file), "'\(key)' must be a mapping of names to strings, found \(node.kindName)")
        }
        var result: [String: String] = [:]
        for (name, value) in mapping {
            guard let nameText = name.scalar?.string, let valueText = value.scalar?.string else {
                let bad = name.scalar == nil ? name : value
                throw RuleFileError(at: YAMLMapping.position(of: bad, in: file), "'\(key)' must map names to strings, found \(bad.kindName)")
            }
            result[nameText] = valueText
        }
        return result
    }

    /// A list of strings; a single string counts as a list of one.
    func stringList(_ key: String) throws(RuleFileError) -> [String] {
        guard let node = node(key) else { return [] }
        if let scalar = node.scalar { return [scalar.string] }
        guard case .sequence(let sequence) = node else {
            throw RuleFileError(at: YAMLMapping.position(of: node, in: file), "'\(key)' must be a list of strings, found \(node.kindName)")
        }
        var result: [String] = []
        for item in sequence {
            guard let text = item.scalar?.string else {
                throw RuleFileError(at: YAMLMapping.position(of: item, in: file), "'\(key)' must be a list of strings, found \(item.kindName)")
            }
            result.append(text)
        }
        return result
    }
}

extension Node {
    /// What a node is, for "expected X, found Y" messages.
    var kindName: String {
        switch self {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
