import Foundation
import VitalsCollectors
import VitalsCore

/// The git collector's one-pass backfill against `git log --numstat` alone over the same range and repository.
struct GitBenchmark {
    let folder: URL
    let commits = 12_000
    let now = RFC3339.parse("2026-11-25T08:00:00Z")!

    /// A repository of `commits` commits over about 400 days, made with `git fast-import` (seconds, not minutes).
    func makeRepository() throws -> URL {
        let repository = folder.appendingPathComponent("git-bench")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        try runProgram("/usr/bin/env", ["git", "init", "-q", "-b", "main", repository.path])
        var stream = ""
        let first = now.milliseconds / 1000 - 400 * 86_400
        for index in 0..<commits {
            let time = first + Int64(index) * (400 * 86_400 / Int64(commits))
            let author = "dev\(index % 17)@example.com"
            let message = "change \(index)"
            let content = (0...(index % 9)).map { "line \($0) of change \(index)" }.joined(separator: "\n") + "\n"
            stream += "commit refs/heads/main\nmark :\(index + 1)\n"
            stream += "author Dev <\(author)> \(time) +0000\ncommitter Dev <\(author)> \(time) +0000\n"
            stream += "data \(message.utf8.count)\n\(message)\n"
            if index > 0 { stream += "from :\(index)\n" }
            stream += "M 644 inline src/module\(index % 40)/file\(index % 300).txt\ndata \(content.utf8.count)\n\(content)\n"
        }
        let input = folder.appendingPathComponent("fast-import.txt")
        try stream.write(to: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", repository.path, "fast-import", "--quiet"]
        process.standardInput = try FileHandle(forReadingFrom: input)
        try process.run()
        process.waitUntilExit()
        try runProgram("/usr/bin/env", ["git", "-C", repository.path, "reset", "-q", "--hard", "main"])
        return repository
    }

    func run() async throws {
        let repository = try makeRepository()
        let since = now.subtracting(.days(365))
        print("git: repository of \(commits) commits over 400 days (git fast-import); backfill 365d")
        let collector = GitCollector(repository: repository)
        let request = CollectionRequest(now: now, timeZone: TimeZone(identifier: "UTC")!, since: since)
        var sampleCount = 0
        let vitals = try await measureAsync(runs: 5) { sampleCount = try await collector.collect(request).count }
        let reference = try measure(runs: 5) {
            try spawnProgram(
                "git",
                ["-C", repository.path, "log", "--numstat", "--no-renames", "--since=\(since.secondsSinceEpoch)", "HEAD"])
        }
        line("  GitCollector.collect (backfill 365d, \(sampleCount) samples)", "\(format(vitals.median, 3)) s median")
        line("  git log --numstat over the same range", "\(format(reference.median, 3)) s median")
        line("  ratio vitals/git log (target ≤ 1.5)", format(vitals.median / reference.median))
    }
}
