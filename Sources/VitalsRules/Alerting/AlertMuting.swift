public import VitalsCore

/// The silences and mute windows in force, as one question: is this alert muted now?
public struct AlertMuting: Sendable, Equatable {
    public var silences: [Silence]
    public var muteWindows: [MuteWindow]

    public init(silences: [Silence] = [], muteWindows: [MuteWindow] = []) {
        self.silences = silences
        self.muteWindows = muteWindows
    }

    public static let none = AlertMuting()

    /// Whether nothing is muted: no silences and no mute windows.
    public var isEmpty: Bool { silences.isEmpty && muteWindows.isEmpty }

    /// Whether an alert with `labels` (including `alertname`) is muted at `instant`.
    public func mutes(_ labels: Labels, at instant: Timestamp) -> Bool {
        silences.contains { $0.mutes(labels, at: instant) } || muteWindows.contains { $0.mutes(labels, at: instant) }
    }
}
