import VitalsCore

extension Labels {
    /// The labels without the metric name, as arithmetic and most functions leave them.
    var droppingName: Labels { self["__name__"] == nil ? self : removing(["__name__"]) }

    func keeping(_ names: [String]) -> Labels {
        Labels(Dictionary(uniqueKeysWithValues: pairs.lazy.filter { names.contains($0.name) }.map { ($0.name, $0.value) }))
    }

    func removing(_ names: [String]) -> Labels {
        Labels(Dictionary(uniqueKeysWithValues: pairs.lazy.filter { !names.contains($0.name) }.map { ($0.name, $0.value) }))
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
