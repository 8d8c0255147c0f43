public import Foundation
public import VitalsCore

/// How many `TODO`, `FIXME`, `HACK` and `XXX` markers the files tracked by git contain (see ``MarkerCounter``).
///
/// Reads the working-tree content of the files `git ls-files` lists under the folder, skipping files that
/// are not regular files (symlinks, submodules), are missing, are larger than ``maximumFileSize`` or are binary
/// (a NUL byte in their first ``binaryProbeSize`` bytes, git's own test).
public struct MarkersCollector: LocalCollector {
    public static let metric = "code_markers"
    /// Files larger than this (5 MiB) are skipped: generated or vendored, not code anyone edits.
    public static let maximumFileSize = 5 * 1024 * 1024
    public static let binaryProbeSize = 8192

    public let source: String
    public let repository: URL
    public let interval: TimeSpan
    /// The `repo` label as configured; nil derives it from the repository (``RepositoryName``).
    public let repo: String?
    public var family: MetricFamily { .quality }
    public var metrics: [String] { [Self.metric] }

    public init(source: String = "markers", repository: URL, interval: TimeSpan = .hours(1), repo: String? = nil) {
        self.source = source
        self.repository = repository
        self.interval = interval
        self.repo = repo
    }

    /// One `code_markers` gauge per marker kind, zero included, stamped at `request.now`.
    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let git = GitInvocation(repository: repository, source: source)
        let (counts, name) = try await runBlocking { [self] in (try countMarkers(git), RepositoryName.label(of: repository, configured: repo)) }
        return MarkerKind.allCases.map { kind in
            Sample(Self.metric, ["repo": name, "kind": kind.rawValue], kind: .gauge, at: request.now, value: Double(counts[kind, default: 0]))
        }
    }

    private func countMarkers(_ git: GitInvocation) throws -> [MarkerKind: Int] {
        let listing = try git.output(["ls-files", "-z"])
        var totals: [MarkerKind: Int] = [:]
        for path in listing.split(separator: 0) {
            let file = repository.appendingPathComponent(String(decoding: path, as: UTF8.self))
            guard let counts = Self.markers(in: file) else { continue }
            totals.merge(counts, uniquingKeysWith: +)
        }
        return totals
    }

    /// The markers in one file, or nil when the file is skipped.
    static func markers(in file: URL) -> [MarkerKind: Int]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= maximumFileSize,
            let data = try? Data(contentsOf: file)
        else { return nil }
        return data.withUnsafeBytes { bytes in
            guard !bytes.prefix(binaryProbeSize).contains(0) else { return nil }
            return MarkerCounter.count(in: bytes)
        }
    }
}
