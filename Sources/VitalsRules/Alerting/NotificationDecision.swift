public import VitalsCore

/// Whether an evaluation notifies about one alert.
public enum NotificationDecision: Sendable, Equatable {
    case none
    case send(NotificationKind)
    /// A notification that would go out but is held back; the state still advances.
    case hold(NotificationKind, HoldReason)

    public enum HoldReason: String, Sendable, Codable {
        /// A silence or mute window covers the alert.
        case silenced
        /// It fires again within the cooldown of the last firing notification.
        case flapping
    }
}
