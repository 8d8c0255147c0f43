public import Foundation

/// A real git repository in a fresh temporary folder, built with the git CLI and deleted with this object.
///
/// Every commit gets fixed author and committer names, emails and dates, and git reads no user or system
/// configuration, so the history is the same on every machine.
public final class GitRepository {
    public struct Person: Sendable {
        public let name: String
        public let email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }

        public static let ana = Person(name: "Ana Lima", email: "Ana@Example.org")
        public static let bo = Person(name: "Bo Berg", email: "bo@example.org")
    }

    public struct GitFailure: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let standardError: String

        public var description: String { "\(arguments.joined(separator: " ")) exited with \(status): \(standardError)" }
    }

    /// The temporary folder holding the repository, removed on deinit.
    public let root: URL
    /// The repository's working tree; its last path component is the `repo` label.
    public let url: URL

    public init(name: String = "project", initialize: Bool = true) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-git-\(UUID().uuidString)")
        url = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if initialize { try git("init", "-q", "-b", "main") }
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    public func write(_ path: String, _ text: String) throws {
        try write(path, bytes: Array(text.utf8))
    }

    public func write(_ path: String, bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    /// Stages everything and commits it as `author` at `date` (ISO 8601 with offset, as git accepts it).
    public func commit(_ message: String, at date: String, by author: Person = .ana) throws {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message, at: date, by: author)
    }

    /// Merges `branch` into the current branch with a merge commit (`--no-ff`).
    public func merge(_ branch: String, at date: String, by author: Person = .ana) throws {
        try git("merge", "-q", "--no-ff", "-m", "Merge \(branch)", branch, at: date, by: author)
    }

    @discardableResult
    public func git(_ arguments: String..., at date: String = "2026-01-01T12:00:00+00:00", by author: Person = .ana) throws -> String {
        try Self.run(["git", "-C", url.path] + arguments, environment: environment(date: date, author: author))
    }

    /// Runs a program (through `/usr/bin/env`, so found on PATH) in the repository folder and returns its output.
    @discardableResult
    public func shell(_ script: String) throws -> String {
        try Self.run(["sh", "-c", "cd \"$0\" && \(script)", url.path], environment: environment(date: "2026-01-01T12:00:00+00:00", author: .ana))
    }

    private func environment(date: String, author: Person) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = root.path
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_AUTHOR_NAME"] = author.name
        environment["GIT_AUTHOR_EMAIL"] = author.email
        environment["GIT_AUTHOR_DATE"] = date
        environment["GIT_COMMITTER_NAME"] = author.name
        environment["GIT_COMMITTER_EMAIL"] = author.email
        environment["GIT_COMMITTER_DATE"] = date
        return environment
    }

    private static func run(_ arguments: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GitFailure(arguments: arguments, status: process.terminationStatus, standardError: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
