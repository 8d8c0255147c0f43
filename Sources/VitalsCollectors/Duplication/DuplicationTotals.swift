/// The duplication figures of one report (`docs/metrics.md`, section Duplication, defines them).
public struct DuplicationTotals: Sendable, Equatable {
    /// Duplicated lines over all lines read; nil when the report has no line total (PMD CPD).
    public var ratio: Double?
    public var lines: Int
    public var blocks: Int

    public init(ratio: Double?, lines: Int, blocks: Int) {
        self.ratio = ratio
        self.lines = lines
        self.blocks = blocks
    }
}
