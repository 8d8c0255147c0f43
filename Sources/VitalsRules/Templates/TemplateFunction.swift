import Foundation

/// The functions templates may call.
enum TemplateFunction: String, Sendable, Equatable, CaseIterable {
    case humanize, humanize1024, humanizePercentage, humanizeDuration, printf, toUpper, toLower

    static let names = allCases.map(\.rawValue).joined(separator: ", ")

    func apply(_ arguments: [TemplateValue]) -> TemplateValue {
        let first = arguments.first ?? .string("")
        switch self {
        case .humanize: return .string(TemplateFunctions.humanize(first.number))
        case .humanize1024: return .string(TemplateFunctions.humanize1024(first.number))
        case .humanizePercentage: return .string(TemplateFunctions.humanizePercentage(first.number))
        case .humanizeDuration: return .string(TemplateFunctions.humanizeDuration(first.number))
        case .toUpper: return .string(first.rendered.uppercased())
        case .toLower: return .string(first.rendered.lowercased())
        case .printf:
            guard case .string(let format) = first else { return .string(first.rendered) }
            return .string(GoPrintf.format(format, Array(arguments.dropFirst())))
        }
    }
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %f %g %e %%`, with width and precision.
enum GoPrintf {
    static func format(_ format: String, _ arguments: [TemplateValue]) -> String {
        var output = ""
        var remaining = arguments[...]
        var characters = format[...]
        while let character = characters.popFirst() {
            guard character == "%" else {
                output.append(character)
                continue
            }
            var spec = ""
            while let next = characters.first, "+-# 0123456789.".contains(next) {
                spec.append(next)
                characters.removeFirst()
            }
            guard let verb = characters.popFirst() else {
                output += "%!(NOVERB)"
                break
            }
            if verb == "%" {
                output += "%"
                continue
            }
            guard let argument = remaining.popFirst() else {
                output += "%!\(verb)(MISSING)"
                continue
            }
            output += formatOne(verb, spec: spec, argument)
        }
        return output
    }

    private static func formatOne(_ verb: Character, spec: String, _ argument: TemplateValue) -> String {
        switch (verb, argument) {
        case ("v", _), ("s", .string), ("s", .map):
            return pad(argument.rendered, spec: spec)
        case ("f", .number(let number)), ("F", .number(let number)), ("g", .number(let number)), ("e", .number(let number)),
            ("E", .number(let number)), ("G", .number(let number)):
            if !number.isFinite { return pad(GoNumberFormat.value(number), spec: spec) }
            if verb == "g" && !spec.contains(".") { return pad(GoNumberFormat.value(number), spec: spec) }
            return String(format: "%\(spec)\(verb)", number)
        case (_, .number):
            return "%!\(verb)(float64=\(argument.rendered))"
        default:
            // Go's spelling of a verb that does not fit its argument (`%d` of a float), so output matches Prometheus'.
            return "%!\(verb)(string=\(argument.rendered))"
        }
    }

    private static func pad(_ text: String, spec: String) -> String {
        guard let width = Int(spec.filter(\.isNumber)), width > text.count else { return text }
        let padding = String(repeating: " ", count: width - text.count)
        return spec.hasPrefix("-") ? text + padding : padding + text
    }
}
