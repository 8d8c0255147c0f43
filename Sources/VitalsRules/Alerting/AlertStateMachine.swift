public import VitalsCore

/// Advances the alerts of one rule by one evaluation, as Prometheus' `AlertingRule.Eval` does, plus vitals' hysteresis,
/// `no_data` policy and notification decisions. Pure: the evaluation time and the condition results are inputs.
public struct AlertStateMachine: Sendable {
    public let settings: AlertRuleSettings

    public init(_ settings: AlertRuleSettings) {
        self.settings = settings
    }

    /// What a label set's results mean at one evaluation.
    private enum Observation {
        /// The fire condition holds (value nil: assumed from no data, the last value stands).
        case holds(value: Double?, severity: Severity?)
        /// Neither the fire nor the resolve condition holds: a firing alert stays firing (hysteresis).
        case between
        /// The alert may resolve.
        case clear
        /// No data under `keep_last`: leave the alert as it is.
        case keep
    }

    /// Evaluates at `input.now`. An evaluation at or before the last one returns the state unchanged with no transitions,
    /// so replaying an evaluation after a crash changes nothing.
    public func evaluate(_ state: AlertRuleState, _ input: AlertEvaluationInput, muting: AlertMuting = .none) -> AlertEvaluation {
        if let last = state.evaluatedAt, input.now <= last { return AlertEvaluation(state: state) }
        var result = AlertEvaluation(state: AlertRuleState(evaluatedAt: input.now))
        for previous in Self.instances(state, input) {
            let labels = previous.labels
            var (instance, transition) = advance(previous, observation(for: labels, previous: previous, input), now: input.now)
            if let transition { result.transitions.append(transition) }
            // Only silences and mute windows need the labels merged: skipped, that saves a dictionary per alert and evaluation.
            let silenced =
                !muting.isEmpty && muting.mutes(Labels(settings.ruleLabels.dictionary.merging(labels.dictionary) { _, own in own }), at: input.now)
            let decision = NotificationPolicy.decide(
                instance, transition: transition, now: input.now, cooldown: settings.cooldown, sendResolved: settings.sendResolved,
                silenced: silenced)
            switch decision {
            case .none:
                break
            case .send(let kind):
                result.notifications.append(notification(kind, instance, at: input.now))
                instance.lastSentAt = input.now
                if kind != .resolved {
                    instance.lastFiringSentAt = input.now
                    instance.firingNotified = true
                }
            case .hold(let kind, let reason):
                result.held.append(HeldNotification(notification(kind, instance, at: input.now), reason: reason))
            }
            if isWorthKeeping(instance, transition: transition, now: input.now) { result.state.instances.append(instance) }
        }
        return result
    }

    /// The instances to advance, sorted by labels: the existing ones (the first of any repeated label set) and a new one
    /// for each label set the input names for the first time. Each label set is hashed once or twice, not once per set built.
    private static func instances(_ state: AlertRuleState, _ input: AlertEvaluationInput) -> [AlertInstance] {
        var seen = Set<Labels>(minimumCapacity: state.instances.count + input.firing.count)
        var instances: [AlertInstance] = []
        instances.reserveCapacity(state.instances.count + input.firing.count)
        for instance in state.instances where seen.insert(instance.labels).inserted { instances.append(instance) }
        for labels in input.firing.keys where seen.insert(labels).inserted { instances.append(AlertInstance(labels: labels)) }
        for labels in input.noData where seen.insert(labels).inserted { instances.append(AlertInstance(labels: labels)) }
        instances.sort { $0.labels < $1.labels }
        return instances
    }

    private func observation(for labels: Labels, previous: AlertInstance, _ input: AlertEvaluationInput) -> Observation {
        if let sample = input.firing[labels] { return .holds(value: sample.value, severity: sample.severity) }
        if !input.noData.isEmpty, input.noData.contains(labels) {
            switch settings.noData {
            case .ok: return .clear
            case .alerting: return .holds(value: nil, severity: previous.severity)
            case .keepLast: return .keep
            }
        }
        return !settings.hasResolveCondition || input.resolving.contains(labels) ? .clear : .between
    }

    private func advance(_ previous: AlertInstance, _ observation: Observation, now: Timestamp) -> (AlertInstance, AlertTransition?) {
        var alert = previous
        var severityChange: AlertTransition.Kind?
        switch observation {
        case .keep:
            return (alert, nil)
        case .holds(let value, let severity):
            alert.value = value ?? alert.value
            alert.clearSince = nil
            switch alert.phase {
            case .inactive, .resolved:
                alert.phase = .pending
                alert.activeAt = now
                alert.firedAt = nil
                alert.resolvedAt = nil
                alert.firingNotified = false
            case .pending:
                break
            case .firing:
                if Self.rank(severity) > Self.rank(alert.severity) { severityChange = .severityRaised }
                if Self.rank(severity) < Self.rank(alert.severity) { severityChange = .severityLowered }
            }
            alert.severity = severity
            // As in Prometheus: fires at the first evaluation at which it has been active for at least `for`.
            if alert.phase == .pending, let activeAt = alert.activeAt, now.milliseconds - activeAt.milliseconds >= settings.holdDuration.milliseconds
            {
                alert.phase = .firing
                alert.firedAt = now
            }
        case .between:
            alert.clearSince = nil
            if alert.phase == .pending { reset(&alert) }
        case .clear:
            switch alert.phase {
            case .pending:
                reset(&alert)
            case .firing:
                let since = alert.clearSince ?? now
                alert.clearSince = since
                if now.milliseconds - since.milliseconds >= settings.keepFiringFor.milliseconds {
                    alert.phase = .resolved
                    alert.resolvedAt = now
                    alert.clearSince = nil
                }
            case .inactive, .resolved:
                break
            }
        }
        let transition: AlertTransition? =
            if alert.phase != previous.phase {
                AlertTransition(labels: alert.labels, from: previous.phase, to: alert.phase, severity: alert.severity, value: alert.value, at: now)
            } else if let severityChange {
                AlertTransition(
                    labels: alert.labels, kind: severityChange, from: .firing, to: .firing, severity: alert.severity, value: alert.value, at: now)
            } else {
                nil
            }
        return (alert, transition)
    }

    /// One evaluation where the condition does not hold ends a pending alert.
    private func reset(_ alert: inout AlertInstance) {
        alert.phase = .inactive
        alert.activeAt = nil
    }

    /// Resting alerts are kept only for the evaluation that put them to rest, while a held resolve is owed, and while their
    /// last firing notification still counts for flap suppression; the rest would only grow the stored state.
    private func isWorthKeeping(_ alert: AlertInstance, transition: AlertTransition?, now: Timestamp) -> Bool {
        switch alert.phase {
        case .pending, .firing:
            return true
        case .inactive, .resolved:
            if transition?.to == .resolved || NotificationPolicy.owesResolve(alert, sendResolved: settings.sendResolved) { return true }
            guard let lastFiring = alert.lastFiringSentAt else { return false }
            return now.milliseconds - lastFiring.milliseconds < settings.cooldown.milliseconds
        }
    }

    private func notification(_ kind: NotificationKind, _ alert: AlertInstance, at now: Timestamp) -> AlertNotification {
        AlertNotification(
            group: settings.group, alert: settings.alert, ordinal: settings.ordinal, labels: alert.labels, kind: kind, severity: alert.severity,
            value: alert.value, at: now, channels: settings.channels)
    }

    /// Severity order with "none" below every severity.
    private static func rank(_ severity: Severity?) -> Int {
        severity.map { Severity.allCases.firstIndex(of: $0)! } ?? -1
    }
}
