public import Foundation
public import VitalsCore

/// A source of samples: the git history, coverage files, SARIF files, code markers, and later remote APIs.
///
/// A collector only reads its source and returns samples; storing them and logging the run is the
/// ``CollectionRunner``'s job, so one failing collector never stops the others.
public protocol Collector: Sendable {
    /// The source's name as configured (`git`, `coverage`, ...), also the job-run log's source.
    var source: String { get }
    /// The report group its metrics belong to.
    var family: MetricFamily { get }
    /// How often the source has new data; a report collects again when the newest run is older than this.
    var interval: TimeSpan { get }
    /// The names of the metrics it writes; the runner gives series of these names that predate the `source` label to it
    /// (see ``CollectionRunner``).
    var metrics: [String] { get }
    /// Reads the source and returns its samples; throws ``CollectionSkipped`` when the source has nothing to read.
    ///
    /// The runner labels every sample with `source`; collectors set the other labels.
    func collect(_ request: CollectionRequest) async throws -> [Sample]
}

/// A collector that reads a folder on this machine (a repository, or where its coverage and SARIF files are) and labels its
/// samples `repo` (see ``RepositoryName``); the runner keeps the series continuous when that label changes.
public protocol LocalCollector: Collector {
    /// The folder the source reads.
    var repository: URL { get }
}

/// What one collection run asks of a collector.
public struct CollectionRequest: Sendable {
    /// The instant the run counts as happening at (the CLI's `--now`); gauges are stamped with it.
    public let now: Timestamp
    /// The zone whose days event metrics are counted in.
    public let timeZone: TimeZone
    /// For history sources: the earliest instant to (re)read. Nil means the collector's default history.
    public let since: Timestamp?
    /// Where a remote source keeps its pages and ETags while it runs, so a run killed half-way resumes where it stopped
    /// (``CollectionState``); nil keeps nothing (a dry run).
    public let state: CollectionState?

    public init(now: Timestamp, timeZone: TimeZone, since: Timestamp? = nil, state: CollectionState? = nil) {
        self.now = now
        self.timeZone = timeZone
        self.since = since
        self.state = state
    }
}

/// A source that could not be read: says which source, which file or command, and what was wrong.
public struct CollectorError: Error, Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let message: String

    public init(source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}

/// Thrown by a collector whose source has nothing to read: a local source searching its default places found no input file.
///
/// The runner records the run as skipped, not failed, and writes no `vitals_source_up` sample for it.
public struct CollectionSkipped: Error, Sendable, Equatable, CustomStringConvertible {
    public let source: String
    /// Why, starting with the short reason (`no input`).
    public let message: String

    public init(source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { message }
}
