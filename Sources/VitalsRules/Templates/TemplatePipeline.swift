import Foundation

/// `operand | function | function arg`: each command after the first gets the previous result as its last argument.
struct TemplatePipeline: Sendable, Equatable {
    var commands: [TemplateCommand]

    func evaluate(_ data: TemplateData) -> TemplateValue {
        var previous: TemplateValue?
        for command in commands { previous = command.evaluate(data, piped: previous) }
        return previous ?? .string("")
    }
}

/// A function call with arguments, or a single operand.
struct TemplateCommand: Sendable, Equatable {
    var function: TemplateFunction?
    var arguments: [TemplateOperand]

    func evaluate(_ data: TemplateData, piped: TemplateValue?) -> TemplateValue {
        var values = arguments.map { $0.evaluate(data) }
        if let piped { values.append(piped) }
        guard let function else { return values.first ?? .string("") }
        return function.apply(values)
    }
}

enum TemplateOperand: Sendable, Equatable {
    /// `$value`, `$labels.x`, `.Value`, `.Labels.x`: a root and the field path after it.
    case field(TemplateRoot, [String])
    case string(String)
    case number(Double)
    case pipeline(TemplatePipeline)

    func evaluate(_ data: TemplateData) -> TemplateValue {
        switch self {
        case .string(let text): return .string(text)
        case .number(let number): return .number(number)
        case .pipeline(let pipeline): return pipeline.evaluate(data)
        case .field(let root, let path):
            let base: TemplateValue
            switch root {
            case .value: base = .number(data.value)
            case .labels: base = .map(data.labels)
            case .externalLabels: base = .map(data.externalLabels)
            case .externalURL: base = .string(data.externalURL)
            }
            guard let key = path.first else { return base }
            if case .map(let map) = base { return .string(map[key] ?? "") }
            return .string("")
        }
    }
}

/// The variables Prometheus defines for alert templates (`$value` is `.Value`, and so on).
enum TemplateRoot: String, Sendable, Equatable, CaseIterable {
    case value, labels, externalLabels, externalURL

    /// The `.Field` spelling of the same value.
    var fieldName: String {
        switch self {
        case .value: "Value"
        case .labels: "Labels"
        case .externalLabels: "ExternalLabels"
        case .externalURL: "ExternalURL"
        }
    }
}

/// A value while a pipeline runs.
enum TemplateValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case map([String: String])

    /// How `{{ }}` prints it: numbers as Go's `%v`, maps as Go's `map[k:v ...]`.
    var rendered: String {
        switch self {
        case .string(let text): text
        case .number(let number): GoNumberFormat.value(number)
        case .map(let map): "map[" + map.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ") + "]"
        }
    }

    /// The number a numeric function reads: a number, or a string that parses as one (Prometheus' `convertToFloat`).
    var number: Double {
        switch self {
        case .number(let number): number
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces)) ?? .nan
        case .map: .nan
        }
    }
}
