public import Foundation
public import VitalsCore

/// Reads copy/paste detector reports: jscpd's JSON report and PMD CPD's XML report, told apart by content (the first
/// character that is not white space: `{` or `<`).
///
/// Gauges, stamped at the request's `now`, labelled `repo` (``RepositoryName``) and, when more than one file is read,
/// `file` (its path relative to the repository): `duplicated_lines`, `duplicated_blocks`, and `duplicated_lines_ratio`
/// where the report has a line total (jscpd's does, CPD's does not). `docs/metrics.md` defines each per tool.
/// A file that cannot be read fails the whole source with an error naming the file and the place in it.
public struct DuplicationCollector: LocalCollector {
    public let source: String
    public var family: MetricFamily { .quality }
    public let interval: TimeSpan
    /// The repository the paths are relative to.
    public let repository: URL
    /// Configured paths or globs (`*`, `?`, `**`); nil searches ``conventionalPaths``.
    public let paths: [String]?
    /// The `repo` label as configured; nil derives it from the repository (``RepositoryName``).
    public let repo: String?
    public var metrics: [String] { DuplicationSource.definition.writtenMetrics }

    /// Where reports are when nothing is configured: jscpd's default output (`report/jscpd-report.json`), and the CPD
    /// reports of the Maven PMD plugin (`target/cpd.xml`) and Gradle's cpd plugin (`build/reports/cpd/*.xml`).
    public static let conventionalPaths = ["report/jscpd-report.json", "jscpd-report.json", "cpd.xml", "target/cpd.xml", "build/reports/cpd/*.xml"]

    public init(source: String = "duplication", repository: URL, paths: [String]? = nil, interval: TimeSpan = .hours(1), repo: String? = nil) {
        self.source = source
        self.repository = repository
        self.paths = paths
        self.interval = interval
        self.repo = repo
    }

    /// A collector for a configured `duplication` source: its name, interval, `paths` and `repo` options.
    public init(config: SourceConfig, repository: URL) {
        self.init(
            source: config.name, repository: repository, paths: config.strings("paths"), interval: config.interval, repo: config.string("repo"))
    }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let files = try InputFiles(root: repository).require(
            configured: paths, conventional: Self.conventionalPaths, kind: "jscpd or PMD CPD", source: source)
        let repo = Labels(["repo": RepositoryName.label(of: repository, configured: self.repo)])
        var samples: [Sample] = []
        for file in files {
            let totals: DuplicationTotals
            do {
                totals = try Self.totals(of: file)
            } catch {
                throw CollectorError(source: source, error.description)
            }
            samples += Self.samples(totals, labels: files.count > 1 ? repo.setting("file", to: file.relativePath) : repo, at: request.now)
        }
        return samples
    }

    /// The figures of one file found: a CPD report is streamed from the file; a jscpd report is read whole (bounded by
    /// ``RegularFile/inputLimit``).
    static func totals(of file: InputFiles.Match) throws(InputFileError) -> DuplicationTotals {
        switch try format(of: file.head(64), file: file.relativePath) {
        case .jscpd: try JscpdReport.totals(of: try file.read(), file: file.relativePath)
        case .cpd: try CpdReport.totals(at: file.url, file: file.relativePath)
        }
    }

    /// The figures of a report held in memory, whichever tool wrote it.
    public static func totals(of data: Data, file: String) throws(InputFileError) -> DuplicationTotals {
        switch try format(of: data.prefix(64), file: file) {
        case .jscpd: try JscpdReport.totals(of: data, file: file)
        case .cpd: try CpdReport.totals(of: data, file: file)
        }
    }

    enum Format { case jscpd, cpd }

    /// The format by the first character that is not white space or a byte order mark.
    static func format(of head: Data, file: String) throws(InputFileError) -> Format {
        let skipped: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF]
        switch head.first(where: { !skipped.contains($0) }) {
        case UInt8(ascii: "{"): return .jscpd
        case UInt8(ascii: "<"): return .cpd
        case nil: throw InputFileError(file: file, "the file is empty; expected a jscpd JSON report or a PMD CPD XML report")
        default: throw InputFileError(file: file, at: .byte(0), "neither a jscpd JSON report ({...}) nor a PMD CPD XML report (<pmd-cpd>)")
        }
    }

    static func samples(_ totals: DuplicationTotals, labels: Labels, at now: Timestamp) -> [Sample] {
        var samples = [
            Sample("duplicated_lines", labels, kind: .gauge, unit: .lines, at: now, value: Double(totals.lines)),
            Sample("duplicated_blocks", labels, kind: .gauge, unit: .count, at: now, value: Double(totals.blocks)),
        ]
        if let ratio = totals.ratio {
            samples.insert(Sample("duplicated_lines_ratio", labels, kind: .gauge, unit: .ratio, at: now, value: ratio), at: 0)
        }
        return samples
    }
}
