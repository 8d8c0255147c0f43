import Synchronization
public import VitalsCore

/// A position in a store's history of sample writes: a reader that keeps what it read asks the store for what was written
/// after it (``MetricStore/samplesWritten(named:since:)``) instead of reading everything again.
///
/// Writes are ordered by when they committed, not by the samples' timestamps: a collector may backfill older times, and a
/// write may replace the value at a stored time; both come after the mark taken before them.
public struct SampleWriteMark: Hashable, Sendable {
    /// The store object that gave the mark: a mark means nothing to another one (another file, a copy of it, another database).
    public let store: StoreInstance
    /// Grows whenever samples are moved (relabelling, merging series) or removed other than by retention, which the write
    /// history does not show: what a reader kept from an earlier epoch may be gone.
    public let epoch: Int64
    /// Every sample written (inserted or replaced) that the read giving the mark did not see carries a greater sequence
    /// number: SQLite gives the last write's number, PostgreSQL one below the transaction id of every write the read did not see.
    public let sequence: Int64
    /// The cutoff of the last retention: it removed every sample older than this. Retention runs after every collection,
    /// so it does not end an epoch; a reader drops what it kept from before the cutoff when it moved (an earlier cutoff
    /// than the last one ends the epoch instead).
    public let removedBefore: Timestamp?

    public init(store: StoreInstance, epoch: Int64, sequence: Int64, removedBefore: Timestamp?) {
        self.store = store
        self.epoch = epoch
        self.sequence = sequence
        self.removedBefore = removedBefore
    }
}

/// What ``MetricStore/samplesWritten(named:since:)`` found: the store's mark now, and the samples written since the mark
/// asked about, or nil when the store cannot tell which those are and the reader must read in full.
public struct SampleChanges: Sendable {
    /// Taken before the changes were read, so what it reflects is in ``series`` or was read before (a reader that keeps it
    /// may see a sample twice, never miss one).
    public let mark: SampleWriteMark
    /// The samples written after the mark asked about, per series in key order, each oldest first; nil when the mark asked
    /// about was none, another store's, or from an earlier epoch or a later sequence (the store was reset).
    public let series: [(key: SeriesKey, points: [SamplePoint])]?
    /// Set when a retention ran since the mark asked about: the reader drops the samples it kept from before this time
    /// (before adding ``series``, which are all still stored).
    public let removedBefore: Timestamp?

    /// The changes from `earlier` to `mark`; `series` are the samples written in between, nil when the store cannot tell.
    public init(mark: SampleWriteMark, since earlier: SampleWriteMark?, series: [(key: SeriesKey, points: [SamplePoint])]?) {
        self.mark = mark
        self.series = series
        removedBefore = earlier?.removedBefore != mark.removedBefore ? mark.removedBefore : nil
    }

    /// Whether `earlier` (a mark this store gave before) still lets the store tell what was written since.
    public static func canContinue(from earlier: SampleWriteMark?, to mark: SampleWriteMark) -> Bool {
        guard let earlier else { return false }
        return earlier.store == mark.store && earlier.epoch == mark.epoch && earlier.sequence <= mark.sequence
    }
}

/// One store object's identity, distinct from every other made in this process; it makes a ``SampleWriteMark`` its own.
public struct StoreInstance: Hashable, Sendable {
    private static let made = Atomic<UInt64>(0)
    private let number: UInt64

    public init() {
        number = Self.made.add(1, ordering: .relaxed).newValue
    }
}
