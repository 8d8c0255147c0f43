import VitalsCore
public import VitalsPorts
import VitalsRules

/// `/api/v1/rules` and `/api/v1/alerts`: the loaded rule files with the alert state the evaluation rounds stored, in
/// Prometheus' shapes (`RuleDiscovery`, `AlertDiscovery`). Recording rules are listed but never evaluated by vitals, so
/// their health is `unknown`; annotations are rendered with each alert's value and labels, as Prometheus does.
struct RulesAPI: Sendable {
    let files: [RuleFile]
    let alerts: (any AlertStore)?

    /// Go's zero `time.Time`, which Prometheus writes for a rule never evaluated.
    static let never = "\"0001-01-01T00:00:00Z\""

    func rules(_ parameters: FormParameters) async throws(APIError) -> String {
        let type = parameters["type"]?.lowercased()
        guard type == nil || type == "alert" || type == "record" else {
            throw .invalidParameter("type", "not supported value \"\(parameters["type"] ?? "")\"")
        }
        let (states, evaluations) = try await stored()
        var json = JSONText(capacity: 4096)
        json.raw("{\"status\":\"success\",\"data\":{\"groups\":[")
        var firstGroup = true
        for file in files {
            for group in file.groups {
                if !firstGroup { json.raw(",") }
                firstGroup = false
                json.raw("{\"name\":")
                json.string(group.name)
                json.raw(",\"file\":")
                json.string(file.file)
                json.raw(",\"rules\":[")
                var firstRule = true
                for (rule, id) in Self.identified(group) {
                    if rule.kind == .alert ? type == "record" : type == "alert" { continue }
                    if !firstRule { json.raw(",") }
                    firstRule = false
                    if let id {
                        alertingRule(rule, group: group, state: states[id], into: &json)
                    } else {
                        json.raw("{\"name\":")
                        json.string(rule.name)
                        json.raw(",\"query\":")
                        json.string(rule.expr.text)
                        json.raw(",\"labels\":")
                        json.labels(Labels(rule.labels))
                        json.raw(",\"health\":\"unknown\",\"evaluationTime\":0,\"lastEvaluation\":\(Self.never),\"type\":\"recording\"}")
                    }
                }
                json.raw("],\"interval\":")
                json.raw(GoNumberFormat.shortestFixed((group.interval ?? .minutes(1)).seconds))
                json.raw(",\"limit\":\(group.limit),\"evaluationTime\":0,\"lastEvaluation\":")
                if let last = evaluations[group.name] { json.time(last) } else { json.raw(Self.never) }
                json.raw("}")
            }
        }
        json.raw("]}}")
        return json.text
    }

    func alerts() async throws(APIError) -> String {
        let (states, _) = try await stored()
        var json = JSONText(capacity: 4096)
        json.raw("{\"status\":\"success\",\"data\":{\"alerts\":")
        var first = true
        json.raw("[")
        for file in files {
            for group in file.groups {
                for (rule, id) in Self.identified(group) {
                    guard let id, let state = states[id], let conditions = try? AlertingRuleConditions(rule, groupLabels: group.labels) else {
                        continue
                    }
                    for instance in Self.active(state) {
                        if !first { json.raw(",") }
                        first = false
                        Self.alert(instance, conditions: conditions, into: &json)
                    }
                }
            }
        }
        json.raw("]}}")
        return json.text
    }

    // MARK: Parts

    private func alertingRule(_ rule: Rule, group: RuleGroup, state: AlertRuleState?, into json: inout JSONText) {
        let active = state.map(Self.active) ?? []
        let ruleState = active.contains { $0.phase == .firing } ? "firing" : active.isEmpty ? "inactive" : "pending"
        json.raw("{\"state\":\"\(ruleState)\",\"name\":")
        json.string(rule.name)
        json.raw(",\"query\":")
        json.string(rule.expr.text)
        json.raw(",\"duration\":")
        json.raw(GoNumberFormat.shortestFixed(rule.holdDuration.seconds))
        json.raw(",\"keepFiringFor\":")
        json.raw(GoNumberFormat.shortestFixed(rule.keepFiringFor.seconds))
        json.raw(",\"labels\":")
        json.labels(Labels(group.labels.merging(rule.labels) { _, own in own }))
        json.raw(",\"annotations\":")
        json.labels(Labels(rule.annotations))
        json.raw(",\"alerts\":[")
        if let conditions = try? AlertingRuleConditions(rule, groupLabels: group.labels) {
            for (index, instance) in active.enumerated() {
                if index > 0 { json.raw(",") }
                Self.alert(instance, conditions: conditions, into: &json)
            }
        }
        json.raw("],\"health\":\(state?.evaluatedAt == nil ? "\"unknown\"" : "\"ok\""),\"evaluationTime\":0,\"lastEvaluation\":")
        if let evaluated = state?.evaluatedAt { json.time(evaluated) } else { json.raw(Self.never) }
        json.raw(",\"type\":\"alerting\"}")
    }

    /// `{"labels":...,"annotations":...,"state":...,"activeAt":...,"value":"1e+00"}`.
    private static func alert(_ instance: AlertInstance, conditions: AlertingRuleConditions, into json: inout JSONText) {
        json.raw("{\"labels\":")
        json.labels(conditions.labels(of: instance, sampleLabels: instance.labels))
        json.raw(",\"annotations\":")
        json.labels(conditions.annotations(of: instance, sampleLabels: instance.labels))
        json.raw(",\"state\":\"\(instance.phase.rawValue)\"")
        if let activeAt = instance.activeAt {
            json.raw(",\"activeAt\":")
            json.time(activeAt)
        }
        json.raw(",\"value\":")
        json.string(GoNumberFormat.exponent(instance.value ?? .nan, marker: "e"))
        json.raw("}")
    }

    /// Alerts Prometheus calls active: pending or firing.
    private static func active(_ state: AlertRuleState) -> [AlertInstance] {
        state.instances.filter { $0.phase == .pending || $0.phase == .firing }.sorted { $0.labels < $1.labels }
    }

    /// The group's rules with the id their alert state is stored under (nil for recording rules), numbered as the
    /// evaluation round numbers them (``AlertRuleID/ordinal``).
    private static func identified(_ group: RuleGroup) -> [(Rule, AlertRuleID?)] {
        var countByName: [String: Int] = [:]
        return group.rules.map { rule in
            guard rule.kind == .alert else { return (rule, nil) }
            defer { countByName[rule.name, default: 0] += 1 }
            return (rule, AlertRuleID(group: group.name, alert: rule.name, ordinal: countByName[rule.name, default: 0]))
        }
    }

    private func stored() async throws(APIError) -> ([AlertRuleID: AlertRuleState], [String: Timestamp]) {
        guard let alerts else { return ([:], [:]) }
        do {
            return (try await alerts.alertStates(), try await alerts.groupEvaluations())
        } catch {
            throw APIError(.internal, "reading the alert state: \(error)")
        }
    }
}
