public import VitalsCore

/// The aligned timestamps ("slots") a rule group is evaluated at, as Prometheus aligns them (rules/group.go
/// `EvalTimestamp`): every multiple of the interval since the epoch, plus an offset of the group's own, so groups spread
/// over their interval and a round started a little late still evaluates the slot it belongs to.
///
/// The offset is the FNV-1a 64 hash of the rule file's name (its last path component, so the working directory and
/// `--config` do not move it), a zero byte and the group name, modulo the interval in milliseconds: the same on every run
/// and machine, unlike Swift's `Hasher`, which is seeded per process.
public struct EvaluationGrid: Sendable, Equatable {
    public let interval: TimeSpan
    public let offset: TimeSpan

    public init(file: String, group: String, interval: TimeSpan) {
        let fileName = file.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? file
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(fileName.utf8) + [0] + Array(group.utf8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        // An interval of 0 (which the rule file allows) makes every instant a slot.
        self.interval = TimeSpan(milliseconds: max(interval.milliseconds, 1))
        self.offset = TimeSpan(milliseconds: Int64(hash % UInt64(self.interval.milliseconds)))
    }

    /// The latest slot at or before `instant`.
    public func slot(at instant: Timestamp) -> Timestamp {
        let shifted = instant.milliseconds - offset.milliseconds
        let intoSlot = (shifted % interval.milliseconds + interval.milliseconds) % interval.milliseconds
        return Timestamp(milliseconds: shifted - intoSlot + offset.milliseconds)
    }

    /// The first slot after `instant`.
    public func slot(after instant: Timestamp) -> Timestamp { slot(at: instant).adding(interval) }
}
