/// A value as ``PrettyJSONEncoder`` holds it until it is written: Foundation's own tree, with objects and arrays as
/// references so that a container keeps writing into the node its parent already holds.
enum JSONNode {
    case null
    case bool(Bool)
    /// The number's text as it is written: an integer's `description`, a finite float's without a trailing `.0`.
    case number(String)
    case string(String)
    case array(JSONArray)
    case object(JSONObject)
    /// The value of a `superEncoder()`, read when the node is written (`{}` when it encoded nothing), as Foundation writes
    /// it when that encoder goes away.
    case deferred(TreeEncoder)

    var object: JSONObject? {
        if case .object(let object) = self { object } else { nil }
    }

    var array: JSONArray? {
        if case .array(let array) = self { array } else { nil }
    }
}

final class JSONArray {
    var elements: [JSONNode] = []

    init(_ elements: [JSONNode] = []) {
        self.elements = elements
    }
}

/// An object's members in the order they were first set. Setting a key again replaces its value and keeps the key as first
/// written, as Foundation's dictionary does (keys are equal as Swift strings, that is canonically equivalent).
final class JSONObject {
    private(set) var members: [(key: String, value: JSONNode)] = []
    /// Each key's member, kept once the object has more members than a scan is worth.
    private var positions: [String: Int] = [:]
    private static let scanLimit = 16

    func set(_ value: JSONNode, for key: String) {
        if let position = position(of: key) {
            members[position].value = value
            return
        }
        if !positions.isEmpty { positions[key] = members.count }
        members.append((key, value))
    }

    func value(for key: String) -> JSONNode? {
        position(of: key).map { members[$0].value }
    }

    private func position(of key: String) -> Int? {
        if members.count <= Self.scanLimit { return members.firstIndex { $0.key == key } }
        if positions.isEmpty {
            for (position, member) in members.enumerated() { positions[member.key] = position }
        }
        return positions[key]
    }

    /// The members in the order Foundation writes them with `.sortedKeys` on Linux: by the keys' UTF-8 bytes.
    var sortedMembers: [(key: String, value: JSONNode)] {
        members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}
