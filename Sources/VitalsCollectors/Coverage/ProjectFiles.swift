public import Foundation

/// The files of a coverage report that count toward a coverage source's totals: the project's own.
///
/// Used for every llvm-cov export, and for lcov and Cobertura reports when the source configures `include` or `exclude`
/// (their relative file names are taken as relative to the root). An export from `swift test --enable-code-coverage` measures every file compiled into the test binary: the package's
/// sources, its tests, SwiftPM's generated test runner (under `.build/`) and every dependency (under `.build/checkouts/`,
/// or wherever a path dependency lives). A file counts when its path is inside ``root`` and ``filter`` keeps its path
/// relative to the root; by default that excludes ``defaultExclude``.
public struct ProjectFiles: Sendable, Hashable {
    /// The repository folder; files outside it never count.
    public let root: URL
    public let filter: PathFilter

    /// Build output and dependency checkouts (`.build` folders at any depth), test targets (`Tests` folders at any
    /// depth) and test files elsewhere (`*Tests.swift`, SwiftPM's naming for test files).
    public static let defaultExclude = ["**/.build", "**/Tests", "**/*Tests.swift"]

    public init(root: URL, filter: PathFilter = PathFilter(exclude: defaultExclude)) {
        self.root = root.standardizedFileURL
        self.filter = filter
    }

    /// Where the root is, as given and with symbolic links resolved, each ending in `/`.
    private var rootPrefixes: [String] {
        [root.path, root.resolvingSymlinksInPath().path].map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    }

    /// The path of `filename` (as the export names it: absolute, or relative to the root) relative to the root,
    /// or nil when it is outside the root.
    func relativePath(of filename: String) -> String? {
        let url = filename.hasPrefix("/") ? URL(fileURLWithPath: filename) : root.appendingPathComponent(filename)
        let path = url.standardizedFileURL.path
        return rootPrefixes.first { path.hasPrefix($0) }.map { String(path.dropFirst($0.count)) }
    }

    /// Whether the file counts.
    func contains(_ filename: String) -> Bool {
        relativePath(of: filename).map(filter.contains) ?? false
    }

    /// The error for a coverage file none of whose `filenames` counts, saying how many were outside the root and how
    /// many the patterns left out.
    func noneCounted(of filenames: [String], file: String) -> InputFileError {
        let outside = filenames.filter { relativePath(of: $0) == nil }.count
        return InputFileError(
            file: file,
            "none of its \(filenames.count) files counts: \(outside) are outside \(root.path), \(filenames.count - outside) are left out by "
                + "\(filter); set the source's include and exclude options to choose the files")
    }
}
