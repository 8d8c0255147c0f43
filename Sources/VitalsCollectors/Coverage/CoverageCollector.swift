public import Foundation
public import VitalsCore

/// Reads test coverage reports: lcov tracefiles, Cobertura XML and llvm-cov export JSON, told apart by content.
///
/// Gauges, stamped at the request's `now`, labelled `repo` (``RepositoryName``) and, when more than
/// one file is read, `file` (its path relative to the repository):
/// - `coverage_lines_ratio`, `coverage_lines_covered`, `coverage_lines_valid`;
/// - `coverage_branches_ratio` and `coverage_functions_ratio` where the file records branches or functions;
/// - `coverage_file_lines_missed` and `coverage_file_lines_valid` with the source file's `path`, for the
///   ``leastCoveredLimit`` files of each coverage file with most uncovered lines (``leastCovered(_:)``).
///
/// Each ratio is the total the producing tool reports: lcov's as `lcov --summary` counts it, Cobertura recomputed from
/// its distinct `<line>` and `<method>` elements (preferred over the root `line-rate`), and for llvm-cov exports the sums
/// over the project's own files (``ProjectFiles``: not `.build/`, not tests), which is what `llvm-cov report` prints for
/// those files. Configured `include`/`exclude` patterns choose the files of every format.
/// A file that cannot be read fails the whole source with an error naming the file and the place in it.
public struct CoverageCollector: LocalCollector {
    public let source: String
    public var family: MetricFamily { .quality }
    public let interval: TimeSpan
    /// The repository the paths are relative to.
    public let repository: URL
    /// Configured paths or globs (`*`, `?`, `**`); nil searches ``conventionalPaths``.
    public let paths: [String]?
    /// Which files count: those of an llvm-cov export always, those of lcov and Cobertura reports when ``filtersReports``.
    public let project: ProjectFiles
    /// Whether `include` or `exclude` was configured: without, lcov and Cobertura totals are the tool's own, every file
    /// it measured.
    public let filtersReports: Bool
    /// The `repo` label as configured; nil derives it from the repository (``RepositoryName``).
    public let repo: String?
    public var metrics: [String] { CoverageSource.definition.writtenMetrics }

    /// How many source files of each coverage file get per-file samples: enough to name the least-covered ones, few enough
    /// that a repository of thousands of files collected daily writes a few dozen samples, not thousands.
    public static let leastCoveredLimit = 10

    /// Where coverage reports are when nothing is configured: SwiftPM's export, then the usual lcov and Cobertura names.
    public static let conventionalPaths = [".build/debug/codecov/*.json", "coverage/lcov.info", "coverage.xml"]

    /// - Parameter filter: the configured `include`/`exclude`, for every format; nil counts the project's own files of an
    ///   llvm-cov export (``ProjectFiles/defaultExclude``) and every file of lcov and Cobertura reports.
    public init(
        source: String = "coverage", repository: URL, paths: [String]? = nil, filter: PathFilter? = nil, interval: TimeSpan = .hours(1),
        repo: String? = nil
    ) {
        self.source = source
        self.repository = repository
        self.paths = paths
        self.project = ProjectFiles(root: repository, filter: filter ?? PathFilter(exclude: ProjectFiles.defaultExclude))
        self.filtersReports = filter != nil
        self.repo = repo
        self.interval = interval
    }

    /// A collector for a configured `coverage` source: its name, interval and `paths`, `include`, `exclude` and `repo` options.
    public init(config: SourceConfig, repository: URL) {
        let include = config.strings("include")
        let exclude = config.strings("exclude")
        let filter =
            include == nil && exclude == nil ? nil : PathFilter(include: include ?? [], exclude: exclude ?? ProjectFiles.defaultExclude)
        self.init(
            source: config.name, repository: repository, paths: config.strings("paths"), filter: filter, interval: config.interval,
            repo: config.string("repo"))
    }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let files = try InputFiles(root: repository).require(
            configured: paths, conventional: Self.conventionalPaths, kind: "coverage", source: source)
        let repo = Labels(["repo": RepositoryName.label(of: repository, configured: self.repo)])
        var samples: [Sample] = []
        for file in files {
            let report: CoverageReport
            do {
                report = try self.report(of: file)
            } catch {
                throw CollectorError(source: source, error.description)
            }
            let labels = files.count > 1 ? repo.setting("file", to: file.relativePath) : repo
            samples += Self.samples(report.totals, labels: labels, at: request.now)
            samples += Self.fileSamples(leastCovered(report.files), labels: labels, at: request.now)
        }
        return samples
    }

    /// The totals and per-file lines of one file found: a Cobertura report is streamed from the file, so its size does not
    /// matter; the other formats are read whole.
    func report(of file: InputFiles.Match) throws(InputFileError) -> CoverageReport {
        if (try? CoverageFormat.detect(try file.head(1 << 16), file: file.relativePath)) == .cobertura {
            return try CoberturaParser.report(at: file.url, file: file.relativePath, project: project(for: .cobertura))
        }
        let data = try file.read()
        return try Self.report(of: data, file: file.relativePath, project: project(for: try CoverageFormat.detect(data, file: file.relativePath)))
    }

    /// The ``leastCoveredLimit`` source files with most uncovered lines, each by its path relative to the repository (as the
    /// report names it when it is outside): most uncovered lines first, then the lower ratio, then the path. Fully covered
    /// files are never among them.
    func leastCovered(_ files: [String: CoverageTotals.Count]) -> [(path: String, lines: CoverageTotals.Count)] {
        let byPath = Dictionary(files.map { (project.relativePath(of: $0.key) ?? $0.key, $0.value) }, uniquingKeysWith: +)
        return byPath.filter { $0.value.missed > 0 }.map { (path: $0.key, lines: $0.value) }
            .sorted { left, right in
                (-left.lines.missed, left.lines.ratio ?? 0, left.path) < (-right.lines.missed, right.lines.ratio ?? 0, right.path)
            }
            .prefix(Self.leastCoveredLimit).map { $0 }
    }

    /// The files that count in a file of `format`; nil: every file it names.
    private func project(for format: CoverageFormat) -> ProjectFiles? {
        format == .llvmCovJSON || filtersReports ? project : nil
    }

    /// The totals of one coverage file, whichever of the three formats it is in, over the files `project` counts
    /// (nil: every file the report names, for an llvm-cov export its own `totals`).
    public static func totals(of data: Data, file: String, project: ProjectFiles? = nil) throws(InputFileError) -> CoverageTotals {
        try report(of: data, file: file, project: project).totals
    }

    /// ``totals(of:file:project:)`` with the lines of each source file counted.
    public static func report(of data: Data, file: String, project: ProjectFiles? = nil) throws(InputFileError) -> CoverageReport {
        switch try CoverageFormat.detect(data, file: file) {
        case .lcov: try LcovParser.report(of: data, file: file, project: project)
        case .cobertura: try CoberturaParser.report(of: data, file: file, project: project)
        case .llvmCovJSON: try LlvmCovExport.report(of: data, file: file, project: project)
        }
    }

    static func samples(_ totals: CoverageTotals, labels: Labels, at now: Timestamp) -> [Sample] {
        func gauge(_ name: String, _ unit: MetricUnit, _ value: Double?) -> Sample? {
            value.map { Sample(name, labels, kind: .gauge, unit: unit, at: now, value: $0) }
        }
        return [
            gauge("coverage_lines_ratio", .ratio, totals.lines.ratio),
            gauge("coverage_lines_covered", .count, Double(totals.lines.covered)),
            gauge("coverage_lines_valid", .count, Double(totals.lines.total)),
            gauge("coverage_branches_ratio", .ratio, totals.branches?.ratio),
            gauge("coverage_functions_ratio", .ratio, totals.functions?.ratio),
        ].compactMap { $0 }
    }

    /// Per least-covered file, its uncovered and coverable lines, labelled with its `path`.
    static func fileSamples(_ files: [(path: String, lines: CoverageTotals.Count)], labels: Labels, at now: Timestamp) -> [Sample] {
        files.flatMap { file in
            let labels = labels.setting("path", to: file.path)
            return [
                Sample(CoverageSource.fileLinesMissed, labels, kind: .gauge, unit: .count, at: now, value: Double(file.lines.missed)),
                Sample(CoverageSource.fileLinesValid, labels, kind: .gauge, unit: .count, at: now, value: Double(file.lines.total)),
            ]
        }
    }
}
