public import Foundation
import VitalsCore

/// Finds a collector's input files under a repository: configured paths and globs, or the conventional places.
public struct InputFiles: Sendable {
    /// The folder patterns are relative to.
    public let root: URL
    /// Folder names that `*` and `**` never descend into (build output, git's own files); a pattern that names
    /// such a folder literally, such as `.build/debug/codecov/*.json`, still reaches it.
    public let skippedFolders: Set<String>

    public init(root: URL, skippedFolders: Set<String> = [".build", ".git"]) {
        self.root = root.standardizedFileURL
        self.skippedFolders = skippedFolders
    }

    /// One file found: where it is and how to name it to the user.
    public struct Match: Hashable, Sendable {
        public let url: URL
        /// The path relative to the root, with `/` separators.
        public let relativePath: String

        /// The file's bytes; a file that is not a regular file, is over ``RegularFile/inputLimit`` or cannot be read is an
        /// error naming it and saying what it is.
        public func read() throws(InputFileError) -> Data {
            do {
                return try RegularFile.read(url.path, limit: RegularFile.inputLimit)
            } catch {
                throw InputFileError(file: relativePath, error.description)
            }
        }

        /// The file's first `count` bytes (all of a shorter file), to tell its format before choosing how to read it;
        /// nothing for what is not a regular file (a FIFO would block here), which ``read()`` reports on.
        public func head(_ count: Int) throws(InputFileError) -> Data {
            guard (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType == .typeRegular else { return Data() }
            do {
                let handle = try FileHandle(forReadingFrom: url)
                defer { try? handle.close() }
                return try handle.read(upToCount: count) ?? Data()
            } catch {
                throw InputFileError(file: relativePath, "cannot be read: \(error.localizedDescription)")
            }
        }
    }

    /// The files matching the `configured` patterns, or the `conventional` ones when none are configured.
    ///
    /// Finding nothing is the ``CollectorError`` of `source` when the patterns were configured, and ``CollectionSkipped``
    /// (`no input`) when they were the conventional ones: a repository without coverage files is not a failing one. Either
    /// says that no `kind` file was found and where it looked.
    public func require(configured: [String]?, conventional: [String], kind: String, source: String) throws -> [Match] {
        let patterns = configured ?? conventional
        let files = find(patterns)
        guard !files.isEmpty else {
            let message = "no \(kind) file found under \(root.path); searched \(patterns.joined(separator: ", "))"
            if configured == nil { throw CollectionSkipped(source: source, "no input: " + message) }
            throw CollectorError(source: source, message)
        }
        return files
    }

    /// The regular files matching any of `patterns` (paths relative to the root, as configured), each once,
    /// sorted by relative path.
    public func find(_ patterns: [String]) -> [Match] {
        var found: Set<String> = []
        for pattern in patterns {
            expand(GlobPattern(pattern).segments[...], under: "", into: &found)
        }
        return found.sorted().map { Match(url: url(of: $0), relativePath: $0) }
    }

    private func url(of relativePath: String) -> URL {
        relativePath.isEmpty ? root : root.appendingPathComponent(relativePath)
    }

    private func expand(_ segments: ArraySlice<GlobPattern.Segment>, under folder: String, into found: inout Set<String>) {
        guard let segment = segments.first else {
            if kind(of: folder) == .file { found.insert(folder) }
            return
        }
        let rest = segments.dropFirst()
        switch segment {
        case .literal(let name):
            expand(rest, under: join(folder, name), into: &found)
        case .wildcard(let pattern):
            for name in children(of: folder) where GlobPattern.matches(name, pattern: pattern) {
                expand(rest, under: join(folder, name), into: &found)
            }
        case .anyDepth:
            expand(rest, under: folder, into: &found)
            for name in children(of: folder) {
                expand(segments, under: join(folder, name), into: &found)
            }
        }
    }

    /// The entries of a folder that wildcards may match: not skipped folders, and not symbolic links to
    /// folders, so `**` cannot loop.
    private func children(of folder: String) -> [String] {
        guard kind(of: folder) == .folder,
            let names = try? FileManager.default.contentsOfDirectory(atPath: url(of: folder).path)
        else { return [] }
        return names.sorted().filter { name in
            guard !skippedFolders.contains(name) else { return false }
            let values = try? url(of: join(folder, name)).resourceValues(forKeys: [.isSymbolicLinkKey])
            return values?.isSymbolicLink != true || kind(of: join(folder, name)) == .file
        }
    }

    private enum Kind { case file, folder, missing }

    private func kind(of relativePath: String) -> Kind {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url(of: relativePath).path, isDirectory: &isFolder) else { return .missing }
        return isFolder.boolValue ? .folder : .file
    }

    private func join(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : "\(folder)/\(name)"
    }
}
