import VitalsCollectors
import VitalsCore

/// Checks samples against the metrics their source type declares: the name is declared, and kind, unit and labels are as
/// declared (every required label, no label outside the required and optional ones).
enum DeclaredSamples {
    /// One line per sample that does not match; empty when all do. `samples` are labelled as the runner labels them.
    static func mismatches(_ samples: [Sample], of definition: SourceDefinition) -> [String] {
        let declared = Dictionary(uniqueKeysWithValues: definition.metrics.map { ($0.name, $0) })
        var found: Set<String> = []
        for sample in samples {
            let key = sample.series.key
            let description = "\(key.name){\(key.labels.canonical)}"
            guard let metric = declared[key.name] else {
                found.insert("\(description): not declared by the \(definition.type) source")
                continue
            }
            if sample.series.kind != metric.kind { found.insert("\(description): kind \(sample.series.kind), declared \(metric.kind)") }
            if sample.series.unit != metric.unit { found.insert("\(description): unit \(sample.series.unit), declared \(metric.unit)") }
            let names = Set(key.labels.dictionary.keys)
            let missing = Set(metric.labels).subtracting(names)
            let extra = names.subtracting(metric.labels + metric.optionalLabels)
            if !missing.isEmpty { found.insert("\(description): lacks declared labels \(missing.sorted())") }
            if !extra.isEmpty { found.insert("\(description): undeclared labels \(extra.sorted())") }
        }
        return found.sorted()
    }
}
