/// Whether a row's numbers can be trusted, and if not, why.
public enum RowStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case ok
    /// The series has no sample in the period.
    case noData = "no_data"
    /// The source's newest run is older than twice its interval.
    case stale
    /// The source's latest run failed.
    case failed

    /// The status of a row whose series `hasData` in the period and comes from `source`, with the reason to show.
    ///
    /// A failed or stale source outranks missing data: the row then says why its data is missing or old.
    public static func of(hasData: Bool, source: SourceReport?) -> (status: RowStatus, detail: String?) {
        if let source, source.status == .failed {
            let when = source.lastRunAt.map { " at \($0)" } ?? ""
            return (.failed, "the latest run of \(source.name)\(when) failed: \(source.error ?? "no error message recorded")")
        }
        if let source, source.stale, let lastRun = source.lastRunAt {
            return (.stale, "the newest run of \(source.name) finished at \(lastRun), more than twice its interval ago")
        }
        if !hasData {
            return (.noData, "no samples in the period")
        }
        return (.ok, nil)
    }
}
