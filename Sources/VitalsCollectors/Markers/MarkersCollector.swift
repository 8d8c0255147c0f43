public import Foundation
public import VitalsCore

/// How many `TODO`, `FIXME`, `HACK` and `XXX` markers the comments of the source files tracked by git contain
/// (see ``MarkerCounter`` for what a marker is and ``CommentScanner`` for what a comment is).
///
/// A file counts when git tracks it, ``filter`` keeps its path (by default everything outside vendored and fixture
/// folders, ``defaultExclude``), its type has a ``CommentSyntax``, it is a regular file (not a symbolic link or a
/// submodule) of at most ``maximumFileSize`` bytes, and it is text (no NUL byte in its first ``binaryProbeSize`` bytes,
/// git's own test).
///
/// The count at `now` reads the working tree. When the request has a `since` (a `--backfill`, or the day before the last
/// run), every local day from `since`'s day to the day before `now`'s also gets a count: that of the last commit of
/// `HEAD`'s first-parent line dated before the day ends (a commit dated before its parent counts as made at its
/// parent's date), read from git's objects (`git ls-tree`, `git grep`), never by checking anything out, and stamped at
/// the day's last millisecond. Days before the first commit get none.
public struct MarkersCollector: LocalCollector {
    public static let metric = "code_markers"
    /// Files larger than this (5 MiB) are skipped: generated or vendored, not code anyone edits.
    public static let maximumFileSize = 5 * 1024 * 1024
    public static let binaryProbeSize = 8192
    /// Vendored code and test fixtures, at any depth: their markers are someone else's or test data.
    public static let defaultExclude = ["**/vendor", "**/third_party", "**/node_modules", "**/Fixtures", "**/fixtures", "**/testdata"]

    public let source: String
    public let repository: URL
    public let interval: TimeSpan
    /// Which files count, by their path relative to ``repository``.
    public let filter: PathFilter
    /// The `repo` label as configured; nil derives it from the repository (``RepositoryName``).
    public let repo: String?
    public var family: MetricFamily { .quality }
    public var metrics: [String] { MarkersSource.definition.writtenMetrics }

    public init(
        source: String = "markers", repository: URL, filter: PathFilter = PathFilter(exclude: defaultExclude), interval: TimeSpan = .hours(1),
        repo: String? = nil
    ) {
        self.source = source
        self.repository = repository
        self.filter = filter
        self.interval = interval
        self.repo = repo
    }

    /// One `code_markers` gauge per marker kind, zero included, for each backfilled day and at `request.now`.
    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let git = GitInvocation(repository: repository, source: source)
        let (days, current, name) = try await runBlocking { [self] in
            let days = try request.since.map { try history(git, since: $0, now: request.now, timeZone: request.timeZone) } ?? []
            return (days, try countWorkingTree(git), RepositoryName.label(of: repository, configured: repo))
        }
        func samples(_ counts: [MarkerKind: Int], at time: Timestamp) -> [Sample] {
            MarkerKind.allCases.map { kind in
                Sample(Self.metric, ["repo": name, "kind": kind.rawValue], kind: .gauge, at: time, value: Double(counts[kind, default: 0]))
            }
        }
        return days.flatMap { samples($0.counts, at: $0.time) } + samples(current, at: request.now)
    }

    /// The syntax to read a file with, or nil when it does not count.
    private func syntax(of path: String) -> CommentSyntax? {
        guard filter.contains(path) else { return nil }
        return CommentSyntax.of(fileNamed: path)
    }

    private func countWorkingTree(_ git: GitInvocation) throws -> [MarkerKind: Int] {
        let listing = try git.output(["ls-files", "-z"])
        var totals: [MarkerKind: Int] = [:]
        for entry in listing.split(separator: 0) {
            let path = String(decoding: entry, as: UTF8.self)
            guard let syntax = syntax(of: path), let counts = Self.markers(in: repository.appendingPathComponent(path), syntax: syntax) else {
                continue
            }
            totals.merge(counts, uniquingKeysWith: +)
        }
        return totals
    }

    /// The markers in one file of the working tree, or nil when it is skipped.
    static func markers(in file: URL, syntax: CommentSyntax) -> [MarkerKind: Int]? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= maximumFileSize,
            let data = try? Data(contentsOf: file)
        else { return nil }
        return data.withUnsafeBytes { bytes in
            guard !bytes.prefix(binaryProbeSize).contains(0) else { return nil }
            return CommentScanner.markers(in: bytes, syntax: syntax)
        }
    }

    // MARK: - History

    /// One commit of the branch's first-parent line.
    private struct Commit {
        let id: String
        let tree: String
        let time: Timestamp
    }

    /// The counts at the end of each local day from the day of `since` to the day before the day of `now`.
    private func history(_ git: GitInvocation, since: Timestamp, now: Timestamp, timeZone: TimeZone) throws -> [(
        time: Timestamp, counts: [MarkerKind: Int]
    )] {
        guard since < now else { return [] }
        let dayStarts = Period(from: since, to: now).dayStarts(in: timeZone)
        guard dayStarts.count > 1 else { return [] }
        // Oldest first, each dated no earlier than its parent (a commit with a skewed clock takes its parent's date),
        // so the line's dates only grow and "the newest commit before the day ends" is one binary search.
        var commits: [Commit] = []
        for commit in try firstParentLine(git).reversed() {
            commits.append(Commit(id: commit.id, tree: commit.tree, time: max(commit.time, commits.last?.time ?? commit.time)))
        }
        var countsByTree: [String: [MarkerKind: Int]] = [:]
        var days: [(time: Timestamp, counts: [MarkerKind: Int])] = []
        for end in dayStarts.dropFirst() {
            var low = 0
            var high = commits.count
            while low < high {
                let middle = (low + high) / 2
                if commits[middle].time < end { low = middle + 1 } else { high = middle }
            }
            guard low > 0 else { continue }
            let commit = commits[low - 1]
            let counts = try countsByTree[commit.tree] ?? countCommit(git, commit.id)
            countsByTree[commit.tree] = counts
            days.append((end.subtracting(TimeSpan(milliseconds: 1)), counts))
        }
        return days
    }

    /// The commits of `HEAD`'s first-parent line, newest first, with their committer dates; none in a repository without commits.
    private func firstParentLine(_ git: GitInvocation) throws -> [Commit] {
        let arguments = ["log", "--first-parent", "--format=%H %T %ct", "HEAD", "--"]
        var output = Data()
        let result = try git.run(arguments) { output.append(contentsOf: $0) }
        guard result.succeeded else {
            if git.hasNoCommits() { return [] }
            throw git.failure(arguments, result)
        }
        return String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 3, let seconds = Int64(fields[2]) else { return nil }
            return Commit(id: String(fields[0]), tree: String(fields[1]), time: Timestamp(seconds: seconds))
        }
    }

    /// The markers in the files of one commit, read from git's objects.
    private func countCommit(_ git: GitInvocation, _ commit: String) throws -> [MarkerKind: Int] {
        // Regular files small enough to read, whose type and path count.
        var eligible: [String: CommentSyntax] = [:]
        for entry in try git.output(["ls-tree", "-r", "-l", "-z", commit]).split(separator: 0) {
            guard let tab = entry.firstIndex(of: UInt8(ascii: "\t")) else { continue }
            let fields = entry[..<tab].split(separator: UInt8(ascii: " "))
            let path = String(decoding: entry[(tab + 1)...], as: UTF8.self)
            guard fields.count == 4, fields[0].elementsEqual("100644".utf8) || fields[0].elementsEqual("100755".utf8),
                let size = Int(String(decoding: fields[3], as: UTF8.self)), size <= Self.maximumFileSize,
                let syntax = syntax(of: path)
            else { continue }
            eligible[path] = syntax
        }
        // Only files with a marker anywhere need reading; git grep finds them without checking anything out.
        let prefix = commit + ":"
        let words = MarkerKind.allCases.flatMap { ["-e", $0.word] }
        let candidates = try grep(git, ["-l", "-w"] + words + [commit], allowNoMatch: true).split(separator: 0).compactMap { name in
            let path = String(decoding: name, as: UTF8.self)
            return path.hasPrefix(prefix) && eligible[String(path.dropFirst(prefix.count))] != nil ? String(path.dropFirst(prefix.count)) : nil
        }
        var totals: [MarkerKind: Int] = [:]
        // Every line of the candidates, as `commit:path NUL line LF`, in batches that keep the argument list short.
        for batch in stride(from: 0, to: candidates.count, by: 200).map({ candidates[$0..<min($0 + 200, candidates.count)] }) {
            let output = try grep(git, ["-e", "", commit, "--"] + batch.map { ":(literal)\($0)" }, allowNoMatch: true)
            var files: [String: Data] = [:]
            var cursor = output.startIndex
            while let nul = output[cursor...].firstIndex(of: 0) {
                let end = output[nul...].firstIndex(of: UInt8(ascii: "\n")) ?? output.endIndex
                let name = String(decoding: output[cursor..<nul], as: UTF8.self)
                files[String(name.dropFirst(prefix.count)), default: Data()].append(contentsOf: output[(nul + 1)..<end] + [UInt8(ascii: "\n")])
                cursor = min(end + 1, output.endIndex)
            }
            for (path, text) in files {
                guard let syntax = eligible[path] else { continue }
                totals.merge(text.withUnsafeBytes { CommentScanner.markers(in: $0, syntax: syntax) }, uniquingKeysWith: +)
            }
        }
        return totals
    }

    /// `git grep -I -z ARGUMENTS` (text files only, NUL after each file name); exit status 1 means no line matched.
    private func grep(_ git: GitInvocation, _ arguments: [String], allowNoMatch: Bool) throws -> Data {
        let full = ["grep", "-I", "-z", "--no-textconv"] + arguments
        var output = Data()
        let result = try git.run(full) { output.append(contentsOf: $0) }
        guard result.succeeded || (allowNoMatch && result.status == 1 && result.standardError.isEmpty) else { throw git.failure(full, result) }
        return output
    }
}
