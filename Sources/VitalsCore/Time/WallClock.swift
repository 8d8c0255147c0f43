import Foundation

/// Where domain code gets the current time from; tests pass a fixed or manual clock, never sleep.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Timestamp
}

/// The machine's clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Timestamp { Timestamp(Date()) }
}

/// A clock that stands still at a given instant (the CLI's `--now T` and tests).
public struct FixedClock: WallClock {
    public let instant: Timestamp

    public init(_ instant: Timestamp) {
        self.instant = instant
    }

    public func now() -> Timestamp { instant }
}
