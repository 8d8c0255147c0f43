public import VitalsCore

/// A store that reads the newest sample of every series at once, as `GET /metrics` exposes them; the SQLite store is one.
/// A store without it is read series by series (``MetricStore/lastSample(of:before:)``).
public protocol LatestSampleReader: Sendable {
    /// Every series with its newest sample (raw, or past retention the last one its hourly rollups kept), sorted by name and
    /// then labels (so a metric's series are adjacent);
    /// series without any sample are left out.
    func latestSamples() async throws -> [(series: SeriesDescriptor, sample: SamplePoint)]

    /// The bytes the store takes on disk, for `vitals_store_size_bytes`.
    func sizeInBytes() async throws -> Int64
}
