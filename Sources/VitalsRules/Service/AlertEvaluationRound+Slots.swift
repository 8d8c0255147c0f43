public import VitalsCore

extension AlertEvaluationRound {
    /// The first slot of any group strictly after `instant`, when a daemon should run the next round; nil with no groups.
    public func nextSlot(after instant: Timestamp) -> Timestamp? {
        groups.map { $0.grid.slot(after: instant) }.min()
    }
}
