import Foundation

/// The parts of a SARIF 2.1.0 log that finding counts depend on; everything else in the file is ignored.
struct SarifLog: Decodable {
    let version: String
    let runs: [Run]

    static let supportedVersion = "2.1.0"

    struct Run: Decodable {
        let tool: Tool
        /// Absent when the tool did not run to completion; counted as no results.
        let results: [Result]?
    }

    struct Tool: Decodable {
        let driver: ToolComponent
        let extensions: [ToolComponent]?
    }

    struct ToolComponent: Decodable {
        let name: String?
        let rules: [Rule]?
    }

    struct Rule: Decodable {
        let id: String?
        let shortDescription: Message?
        let defaultConfiguration: Configuration?
        let properties: RuleProperties?
    }

    /// A multiformat message string; only its plain `text` is read.
    struct Message: Decodable {
        let text: String?
    }

    struct Configuration: Decodable {
        let level: Level?
    }

    /// The rule's property bag; only GitHub's `security-severity` (a number written as text, "0.0" to "10.0") matters here.
    struct RuleProperties: Decodable {
        let securitySeverity: Double?

        private enum CodingKeys: String, CodingKey {
            case securitySeverity = "security-severity"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.contains(.securitySeverity) else {
                securitySeverity = nil
                return
            }
            if let number = try? container.decode(Double.self, forKey: .securitySeverity) {
                securitySeverity = number
                return
            }
            let text = try container.decode(String.self, forKey: .securitySeverity)
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .securitySeverity, in: container, debugDescription: "'\(text)' is not a score; expected a number such as \"7.5\"")
            }
            securitySeverity = number
        }
    }

    struct Result: Decodable {
        let ruleId: String?
        let ruleIndex: Int?
        let rule: RuleReference?
        let kind: String?
        let level: Level?
        let suppressions: [Suppression]?
        let baselineState: String?
    }

    struct RuleReference: Decodable {
        let id: String?
        let index: Int?
        let toolComponent: ToolComponentReference?
    }

    struct ToolComponentReference: Decodable {
        let name: String?
        let index: Int?
    }

    struct Suppression: Decodable {
        let status: String?
    }

    /// `result.level` and `defaultConfiguration.level`: the spec allows exactly these four.
    enum Level: String, Decodable, CaseIterable {
        case error, warning, note, none

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let level = Level(rawValue: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not a level; expected error, warning, note or none")
            }
            self = level
        }
    }
}

extension SarifLog.Tool {
    /// The rule a result refers to: by `rule.toolComponent` and `rule.index`/`ruleIndex`, else by id in the
    /// driver and then the extensions (CodeQL keeps its query packs' rules there).
    func rule(for result: SarifLog.Result) -> SarifLog.Rule? {
        let components = [driver] + (extensions ?? [])
        var candidates = components
        if let reference = result.rule?.toolComponent {
            if let index = reference.index {
                let extensions = extensions ?? []
                candidates = extensions.indices.contains(index) ? [extensions[index]] : []
            } else if let name = reference.name {
                candidates = components.filter { $0.name == name }
            }
        }
        if let index = result.rule?.index ?? result.ruleIndex, let component = candidates.first,
            let rules = component.rules, rules.indices.contains(index)
        {
            return rules[index]
        }
        guard let id = result.rule?.id ?? result.ruleId else { return nil }
        return candidates.lazy.compactMap { $0.rules?.first { $0.id == id } }.first
    }
}
