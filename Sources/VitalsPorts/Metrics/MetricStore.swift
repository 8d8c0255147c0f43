public import VitalsCore

/// The time-series store every collector writes to and every report and rule reads from.
///
/// The SQLite implementation lives in `VitalsStore`; the protocol lives here so that domain modules depend on the seam,
/// not on a database. Every method may suspend (a backend does its I/O off the caller's thread) and is safe to call from
/// several tasks at once. Periods are half-open: `from` inclusive, `to` exclusive.
public protocol MetricStore: Sendable {
    /// Writes samples in one transaction. Writing a series and timestamp again replaces the value, so re-running a
    /// collection is idempotent. Keeps the hourly and daily rollups current. Returns the number written.
    @discardableResult
    func write(_ samples: [Sample]) async throws -> Int

    /// Every series whose metric name is `name` (all series when nil), sorted by key.
    func series(named name: String?) async throws -> [SeriesDescriptor]

    /// The raw samples of one series in `period`, oldest first.
    func samples(of key: SeriesKey, in period: Period) async throws -> [SamplePoint]

    /// The raw samples of several series in `period`, one array per key in the order given, each oldest first.
    ///
    /// The same as calling ``samples(of:in:)`` per key; a backend reads them all in one query.
    func samples(of keys: [SeriesKey], in period: Period) async throws -> [[SamplePoint]]

    /// For each window, every series of its metric with at least one sample in its period and those samples, oldest
    /// first (only the newest for a window of ``MetricWindow/newestOnly``), series in key order. An alert round reads every
    /// metric its rules select this way, in one call.
    func series(in windows: [MetricWindow]) async throws -> [[(key: SeriesKey, points: [SamplePoint])]]

    /// The mark of this store's writes now and, when `mark` is an earlier one it gave, the samples of the series named one of
    /// `names` written (inserted or replaced, whatever their timestamps) since; nil when the store keeps no write history.
    ///
    /// A reader that keeps what it read (the daemon's alert rounds) merges these into it by time; where
    /// ``SampleChanges/series`` is nil (no earlier mark, another store's, samples were removed or moved since, or
    /// housekeeping restarted the history) it reads in full and keeps the new mark. A store may also return stored samples
    /// it was not asked about (a series' samples between the first and last time one write set): merged by time, they change
    /// nothing.
    func samplesWritten(named names: [String], since mark: SampleWriteMark?) async throws -> SampleChanges?

    /// The newest sample of a series strictly before `instant`, raw or (past retention) from the rollups.
    func lastSample(of key: SeriesKey, before instant: Timestamp) async throws -> SamplePoint?

    /// The newest sample of each of several series strictly before `instant`, one per key in the order given.
    ///
    /// The same as calling ``lastSample(of:before:)`` per key; a backend reads them all in one query (a report asks it for
    /// all the rows of a metric at once, to say how much of the period the store covers).
    func lastSamples(of keys: [SeriesKey], before instant: Timestamp) async throws -> [SamplePoint?]

    /// One summary per bucket `[boundaries[i], boundaries[i+1])`; nil where the bucket has no samples.
    ///
    /// Buckets aligned to whole days (in the store's time zone) or hours are read from the rollups, so long periods cost a
    /// few rows per day rather than every raw sample; summaries stay right across raw samples and rollups.
    func summaries(of key: SeriesKey, boundaries: [Timestamp]) async throws -> [SampleSummary?]

    /// The summaries of several series over the same buckets, one array per key in the order given.
    ///
    /// The same as calling ``summaries(of:boundaries:)`` per key; a backend reads them all in one query (a report reads
    /// each metric's series this way).
    func summaries(of keys: [SeriesKey], boundaries: [Timestamp]) async throws -> [[SampleSummary?]]

    /// The series named `name` that have at least one sample in `period` (for distinct counts such as authors), sorted.
    func activeSeries(named name: String, in period: Period) async throws -> [SeriesKey]

    /// Sets `label` to `value` on every series named one of `names` whose labels `isSelected` accepts, so their history
    /// continues under the new labels. A series whose new labels another series already has is merged into it: its samples and
    /// rollups move there, the other series' own values winning where both have one. Series are changed in key order (bytes
    /// of the name, then of the canonical labels): where several become one new key, the first in that order keeps its kind
    /// and unit, and its values win at equal times. Returns the number of series changed.
    @discardableResult
    func relabelSeries(
        named names: [String], where isSelected: @escaping @Sendable (Labels) -> Bool, setting label: String, to value: String
    ) async throws -> Int

    /// Deletes raw samples older than the retention period before `now`; rollups are kept. Returns rows deleted.
    @discardableResult
    func applyRetention(now: Timestamp) async throws -> Int

    /// Housekeeping between units of work (a collection, an alert round): the SQLite store moves its write-ahead log into
    /// the database file here, so that no single write pays for it. A backend with nothing to do returns at once.
    func checkpoint() async throws
}

extension MetricStore {
    public func samples(of keys: [SeriesKey], in period: Period) async throws -> [[SamplePoint]] {
        var points: [[SamplePoint]] = []
        for key in keys { points.append(try await samples(of: key, in: period)) }
        return points
    }

    public func lastSamples(of keys: [SeriesKey], before instant: Timestamp) async throws -> [SamplePoint?] {
        var points: [SamplePoint?] = []
        for key in keys { points.append(try await lastSample(of: key, before: instant)) }
        return points
    }

    public func summaries(of keys: [SeriesKey], boundaries: [Timestamp]) async throws -> [[SampleSummary?]] {
        var read: [[SampleSummary?]] = []
        for key in keys { read.append(try await summaries(of: key, boundaries: boundaries)) }
        return read
    }

    /// No write history: readers read in full every time.
    public func samplesWritten(named names: [String], since mark: SampleWriteMark?) async throws -> SampleChanges? { nil }

    public func series(in windows: [MetricWindow]) async throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        var read: [[(key: SeriesKey, points: [SamplePoint])]] = []
        for window in windows {
            let keys = try await series(named: window.name).map(\.key)
            let points = try await samples(of: keys, in: window.period)
            read.append(zip(keys, points).filter { !$0.1.isEmpty }.map { (key: $0, points: window.newestOnly ? [$1.last!] : $1) })
        }
        return read
    }
}
