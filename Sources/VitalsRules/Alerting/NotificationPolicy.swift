public import VitalsCore

/// Whether to notify, as one pure function of an alert's state after an evaluation — in the spirit of Prometheus'
/// `needsSending`, with vitals' cooldown and flap suppression.
public enum NotificationPolicy {
    /// Decides for `alert`, already advanced to `now`, given the transition this evaluation made (if any).
    ///
    /// - The first firing notification of an episode goes out at once, unless a firing notification went out less than
    ///   `cooldown` ago (the alert flapped: resolved and fired again), in which case it waits for the cooldown to end.
    /// - While firing, a reminder goes out once `cooldown` has passed since the last notification actually sent.
    /// - A severity increase notifies at once; a decrease waits for the next reminder. A severity change is not a resolve.
    /// - A resolve notifies when `sendResolved` and the firing was notified (nobody is told of a resolve they never saw fire).
    /// - `silenced`: the notification is held, never dropped from the state: it goes out once the silence ends, if it is
    ///   still due (a held firing only while still firing; a held resolve while no new episode has started).
    public static func decide(
        _ alert: AlertInstance, transition: AlertTransition?, now: Timestamp, cooldown: TimeSpan, sendResolved: Bool, silenced: Bool
    ) -> NotificationDecision {
        func cooledDown(since sent: Timestamp?) -> Bool {
            sent.map { now.milliseconds - $0.milliseconds >= cooldown.milliseconds } ?? true
        }
        func unlessSilenced(_ kind: NotificationKind) -> NotificationDecision {
            silenced ? .hold(kind, .silenced) : .send(kind)
        }
        switch alert.phase {
        case .firing:
            let raised = transition?.kind == .severityRaised
            if !alert.firingNotified {
                if !silenced, !raised, !cooledDown(since: alert.lastFiringSentAt) { return .hold(.firing, .flapping) }
                return unlessSilenced(.firing)
            }
            if raised { return unlessSilenced(.escalated) }
            return cooledDown(since: alert.lastSentAt) ? unlessSilenced(.reminder) : .none
        case .resolved:
            return owesResolve(alert, sendResolved: sendResolved) ? unlessSilenced(.resolved) : .none
        case .inactive, .pending:
            return .none
        }
    }

    /// Whether a resolved alert's resolve notification is due and not yet sent.
    public static func owesResolve(_ alert: AlertInstance, sendResolved: Bool) -> Bool {
        guard alert.phase == .resolved, sendResolved, alert.firingNotified, let resolvedAt = alert.resolvedAt else { return false }
        return (alert.lastSentAt ?? resolvedAt) < resolvedAt
    }
}
