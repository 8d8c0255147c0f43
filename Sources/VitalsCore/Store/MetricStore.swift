/// The time-series store every collector writes to and every report and rule reads from.
///
/// The SQLite implementation lives in `VitalsStore`; the protocol lives here so that domain modules
/// depend on the seam, not on GRDB. All methods are synchronous and thread-safe.
public protocol MetricStore: Sendable {
    /// Writes samples in one transaction. Writing a series and timestamp again replaces the value, so
    /// re-running a collection is idempotent. Keeps the hourly and daily rollups current. Returns the number written.
    @discardableResult
    func write(_ samples: [Sample]) throws -> Int

    /// Every series whose metric name is `name` (all series when nil), sorted by key.
    func series(named name: String?) throws -> [SeriesDescriptor]

    /// The raw samples of one series in `period`, oldest first.
    func samples(of key: SeriesKey, in period: Period) throws -> [SamplePoint]

    /// The raw samples of several series in `period`, one array per key in the order given, each oldest first.
    ///
    /// The same as calling ``samples(of:in:)`` per key; stores override it to read them all in one query.
    func samples(of keys: [SeriesKey], in period: Period) throws -> [[SamplePoint]]

    /// The newest sample of a series strictly before `instant`, raw or (past retention) from the rollups.
    func lastSample(of key: SeriesKey, before instant: Timestamp) throws -> SamplePoint?

    /// One summary per bucket `[boundaries[i], boundaries[i+1])`; nil where the bucket has no samples.
    ///
    /// Buckets aligned to whole days (in the store's time zone) or hours are read from the rollups,
    /// so long periods cost a few rows per day rather than every raw sample.
    func summaries(of key: SeriesKey, boundaries: [Timestamp]) throws -> [SampleSummary?]

    /// The series named `name` that have at least one sample in `period` (for distinct counts such as authors).
    func activeSeries(named name: String, in period: Period) throws -> [SeriesKey]

    /// Records one run of a source (a collector, an evaluation, a delivery) in the job-run log.
    func recordJobRun(_ run: JobRun) throws

    /// The newest runs first, of one source or of all.
    func jobRuns(source: String?, limit: Int) throws -> [JobRun]

    /// Sets `label` to `value` on every series named one of `names` whose labels `isSelected` accepts, so their history
    /// continues under the new labels. A series whose new labels another series already has is merged into it: its samples and
    /// rollups move there, the other series' own values winning where both have one. Returns the number of series changed.
    @discardableResult
    func relabelSeries(named names: [String], where isSelected: (Labels) -> Bool, setting label: String, to value: String) throws -> Int

    /// What a source's runs remember between them (the `repo` label it last wrote, ...), by key; empty for a source never recorded.
    func sourceState(of source: String) throws -> [String: String]

    /// Replaces what `source`'s runs remember.
    func setSourceState(_ state: [String: String], of source: String) throws

    /// Deletes raw samples older than the retention period before `now`; rollups are kept. Returns rows deleted.
    @discardableResult
    func applyRetention(now: Timestamp) throws -> Int

    /// Housekeeping between units of work (a collection, an alert round): the SQLite store moves its write-ahead log
    /// into the database file here, so that no single write pays for it.
    func checkpoint() throws
}

extension MetricStore {
    public func samples(of keys: [SeriesKey], in period: Period) throws -> [[SamplePoint]] {
        try keys.map { try samples(of: $0, in: period) }
    }
}

/// A timestamp and value of one series.
public struct SamplePoint: Hashable, Sendable, Codable {
    public let timestamp: Timestamp
    public let value: Double

    public init(_ timestamp: Timestamp, _ value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// What a bucket of samples of one series adds up to; summaries of adjacent buckets combine with `merging`.
public struct SampleSummary: Hashable, Sendable, Codable {
    public var count: Int
    public var sum: Double
    public var min: Double
    public var max: Double
    public var first: SamplePoint
    public var last: SamplePoint
    /// The counter increase inside the bucket: the sum of positive steps, a drop counting as a reset to zero.
    public var increase: Double

    public init(count: Int, sum: Double, min: Double, max: Double, first: SamplePoint, last: SamplePoint, increase: Double) {
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
        self.first = first
        self.last = last
        self.increase = increase
    }

    /// The summary of this bucket followed by `later` (which must start after this one ends).
    public func merging(_ later: SampleSummary) -> SampleSummary {
        let step = later.first.value - last.value
        return SampleSummary(
            count: count + later.count, sum: sum + later.sum, min: Swift.min(min, later.min), max: Swift.max(max, later.max),
            first: first, last: later.last, increase: increase + later.increase + (step >= 0 ? step : later.first.value))
    }

    /// The value of a period for a series of `kind`: last value for gauges, sum for events, increase for counters.
    public func value(for kind: MetricKind) -> Double {
        switch kind {
        case .gauge: last.value
        case .event: sum
        case .counter: increase
        }
    }
}

/// One run of a source, as kept in the job-run log.
public struct JobRun: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case ok
        case failed
        /// Nothing to read: a source searching its default places found no input (no coverage file, say). Not a failure.
        case skipped
    }

    public let source: String
    public let started: Timestamp
    public let finished: Timestamp
    public let status: Status
    /// What went wrong, for a failed run, or why a skipped run had nothing to read; never contains a secret.
    public let error: String?
    public let samplesWritten: Int

    public init(source: String, started: Timestamp, finished: Timestamp, status: Status, error: String? = nil, samplesWritten: Int) {
        self.source = source
        self.started = started
        self.finished = finished
        self.status = status
        self.error = error
        self.samplesWritten = samplesWritten
    }
}
