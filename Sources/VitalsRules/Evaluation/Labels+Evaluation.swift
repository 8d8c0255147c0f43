import VitalsCore

extension Labels {
    /// The labels without the metric name, as arithmetic and most functions leave them.
    var droppingName: Labels { filter { $0 != "__name__" } }

    func keeping(_ names: [String]) -> Labels { filter { names.contains($0) } }

    func removing(_ names: [String]) -> Labels { filter { !names.contains($0) } }

    /// An order by label pairs that needs no string building, for sorting results.
    static func precedes(_ lhs: Labels, _ rhs: Labels) -> Bool {
        for (left, right) in zip(lhs.pairs, rhs.pairs) {
            if left.name != right.name { return left.name < right.name }
            if left.value != right.value { return left.value < right.value }
        }
        return lhs.pairs.count < rhs.pairs.count
    }

    /// The labels two vectors match on, for error messages.
    func matchingLabels(_ matching: VectorMatching?) -> Labels {
        switch matching {
        case .on(let names): keeping(names)
        case .ignoring(let names): removing(names + ["__name__"])
        case nil: droppingName
        }
    }

    /// A hashable key of the labels two vectors match on: only `on` labels, or all but `ignoring` labels and the name.
    func signature(_ matching: VectorMatching?) -> String {
        var key = ""
        for pair in pairs {
            let included: Bool
            switch matching {
            case .on(let names): included = names.contains(pair.name)
            case .ignoring(let names): included = pair.name != "__name__" && !names.contains(pair.name)
            case nil: included = pair.name != "__name__"
            }
            guard included else { continue }
            key += pair.name
            key += "\u{1}"
            key += pair.value
            key += "\u{2}"
        }
        return key
    }
}

extension Labels {
    /// Whether `name` is a valid label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 }
    }
}
