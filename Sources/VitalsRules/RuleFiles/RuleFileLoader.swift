import Foundation
import VitalsCore
import Yams

/// Loads Prometheus rule files, with vitals' extensions, into ``RuleFile``.
///
/// A Prometheus rule file loads unchanged. Every error is a ``RuleFileError`` at the YAML node at fault. Expressions are
/// kept as text with their positions and not parsed here: the caller parses them when it needs the syntax tree
/// with ``RuleExpression/parse()``, which reports errors at their `file:line:column`.
public enum RuleFileLoader {
    static let fileKeys = ["groups"]
    static let groupKeys = ["name", "interval", "query_offset", "limit", "labels", "rules"]
    static let prometheusRuleKeys = ["alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"]
    static let extensionKeys = ["cooldown", "resolve", "thresholds", "group_key", "no_data", "notify", "send_resolved", "lookback"]
    static let thresholdKeys = ["op"] + Severity.allCases.map(\.rawValue)

    /// Reads and loads the rule file at `path`; `path` is also the file name in error messages.
    public static func load(contentsOf path: String) throws(RuleFileError) -> RuleFile {
        let start = SourcePosition(file: path, line: 1, column: 1)
        let data: Data
        do {
            data = try RegularFile.read(path, limit: RegularFile.definitionLimit)
        } catch {
            throw RuleFileError(at: start, "the rule file \(error.description)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw RuleFileError(at: start, "the rule file is not UTF-8 text") }
        return try parse(text, file: path)
    }

    /// Loads rule-file text; `file` names it in error messages.
    public static func parse(_ text: String, file: String) throws(RuleFileError) -> RuleFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, file: file)
        } catch {
            throw RuleFileError(at: SourcePosition(file: file, line: 1, column: 1), "\(error)")
        }
        // An empty file is a valid rule file with no groups, as in Prometheus.
        guard let root else { return RuleFile(file: file, groups: []) }
        let top = try YAMLMapping(root, file: file, what: "a rule file", allowed: fileKeys)
        let sourceMap = ScalarSourceMap(source: text, file: file)
        var groups: [RuleGroup] = []
        for node in try sequence(top, "groups") {
            let group = try self.group(node, file: file, sourceMap: sourceMap)
            if let earlier = groups.first(where: { $0.name == group.name }) {
                throw RuleFileError(at: group.position, "group name '\(group.name)' is repeated in the file; the first one is at \(earlier.position)")
            }
            groups.append(group)
        }
        return RuleFile(file: file, groups: groups)
    }

    private static func sequence(_ mapping: YAMLMapping, _ key: String) throws(RuleFileError) -> [Node] {
        guard let node = mapping.node(key) else { return [] }
        if case .scalar(let scalar) = node, Node.scalar(scalar).null != nil { return [] }
        guard case .sequence(let sequence) = node else {
            throw RuleFileError(at: YAMLMapping.position(of: node, in: mapping.file), "'\(key)' must be a list, found \(node.kindName)")
        }
        return Array(sequence)
    }

    private static func group(_ node: Node, file: String, sourceMap: ScalarSourceMap) throws(RuleFileError) -> RuleGroup {
        let mapping = try YAMLMapping(node, file: file, what: "a group", allowed: groupKeys)
        var rules: [Rule] = []
        for ruleNode in try sequence(mapping, "rules") {
            rules.append(try rule(ruleNode, file: file, sourceMap: sourceMap))
        }
        return RuleGroup(
            name: try mapping.requiredString("name", what: "a group"), interval: try mapping.duration("interval"),
            queryOffset: try mapping.duration("query_offset"), limit: try mapping.int("limit") ?? 0, labels: try mapping.stringMap("labels"),
            rules: rules, position: mapping.position
        )
    }

    private static func rule(_ node: Node, file: String, sourceMap: ScalarSourceMap) throws(RuleFileError) -> Rule {
        let mapping = try YAMLMapping(node, file: file, what: "a rule", allowed: prometheusRuleKeys + extensionKeys)
        let kind: Rule.Kind
        switch (mapping.has("alert"), mapping.has("record")) {
        case (true, true): throw RuleFileError(at: mapping.keyPosition("record")!, "a rule has either 'alert' or 'record', not both")
        case (false, false): throw RuleFileError(at: mapping.position, "a rule needs 'alert' (an alerting rule) or 'record' (a recording rule)")
        case (true, false): kind = .alert
        case (false, true): kind = .record
        }
        let name = try mapping.requiredString(kind.rawValue, what: "a rule")
        if kind == .record {
            let alertOnly = ["for", "keep_firing_for", "annotations"] + extensionKeys
            if let key = alertOnly.first(where: mapping.has) {
                throw RuleFileError(at: mapping.keyPosition(key)!, "'\(key)' applies to alerting rules only; '\(name)' is a recording rule")
            }
        }
        guard let exprScalar = try mapping.scalar("expr", expecting: "an expression") else {
            throw RuleFileError(at: mapping.position, "rule '\(name)' has no 'expr'")
        }
        return Rule(
            kind: kind, name: name, expr: try expression(exprScalar, key: "expr", mapping: mapping, sourceMap: sourceMap),
            holdDuration: try mapping.duration("for") ?? TimeSpan(milliseconds: 0),
            keepFiringFor: try mapping.duration("keep_firing_for") ?? TimeSpan(milliseconds: 0), labels: try mapping.stringMap("labels"),
            annotations: try mapping.stringMap("annotations"), cooldown: try mapping.duration("cooldown") ?? Rule.defaultCooldown,
            resolve: try mapping.scalar("resolve", expecting: "an expression").map { (scalar) throws(RuleFileError) in
                try expression(scalar, key: "resolve", mapping: mapping, sourceMap: sourceMap)
            },
            thresholds: try thresholds(mapping), groupKey: try mapping.stringList("group_key"),
            noData: try mapping.choice("no_data", allowed: NoDataPolicy.allowedValues) ?? .ok, notify: try mapping.stringList("notify"),
            sendResolved: try mapping.bool("send_resolved") ?? true, lookback: try mapping.duration("lookback"), position: mapping.position,
            keyPositions: mapping.keyPositions
        )
    }

    private static func expression(
        _ scalar: Node.Scalar, key: String, mapping: YAMLMapping, sourceMap: ScalarSourceMap
    ) throws(RuleFileError) -> RuleExpression {
        let (start, positions) = sourceMap.positions(of: scalar)
        guard !scalar.string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleFileError(at: start, "'\(key)' must not be empty")
        }
        return RuleExpression(text: scalar.string, position: start, scalarPositions: positions)
    }

    private static func thresholds(_ rule: YAMLMapping) throws(RuleFileError) -> Thresholds? {
        guard let node = rule.node("thresholds") else { return nil }
        let mapping = try YAMLMapping(node, file: rule.file, what: "'thresholds'", allowed: thresholdKeys)
        var levels: [Severity: Double] = [:]
        var positions: [Severity: SourcePosition] = [:]
        for severity in Severity.allCases {
            guard let text = try mapping.scalar(severity.rawValue, expecting: "a number such as 0.05 or 5%")?.string else { continue }
            let position = mapping.valuePosition(severity.rawValue)!
            guard let value = ThresholdNumber.parse(text) else {
                throw RuleFileError(at: position, "threshold '\(severity.rawValue)' must be a number such as 0.05 or 5%, found '\(text)'")
            }
            levels[severity] = value
            positions[severity] = position
        }
        guard !levels.isEmpty else {
            throw RuleFileError(at: mapping.position, "'thresholds' needs at least one of \(Severity.allowedValues)")
        }
        let op: ComparisonOperator = try mapping.choice("op", allowed: ComparisonOperator.orderingValues) ?? .greater
        guard op != .equal else {
            throw RuleFileError(at: mapping.valuePosition("op")!, "'op' must be one of \(ComparisonOperator.orderingValues), found '=='")
        }
        return Thresholds(op: op, levels: levels, positions: positions)
    }

    /// Turns libYAML's syntax errors into positioned rule-file errors.
    static func yamlError(_ error: YamlError, file: String) -> RuleFileError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return RuleFileError(at: SourcePosition(file: file, line: mark.line, column: mark.column), "invalid YAML: \(problem)\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return RuleFileError(
                at: SourcePosition(file: file, line: context.mark.line, column: context.mark.column), "duplicate key \(keys) in a mapping")
        default:
            return RuleFileError(at: SourcePosition(file: file, line: 1, column: 1), "invalid YAML: \(error)")
        }
    }
}
