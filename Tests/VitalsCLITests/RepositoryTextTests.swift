import Foundation
import Testing

/// What ships in the repository reads as written: no merge left half-done in a document, a source file or a shipped file.
@Suite struct RepositoryTextTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("no merge-conflict markers in docs, sources, tests or shipped files")
    func noConflictMarkers() throws {
        var found: [String] = []
        for folder in ["docs", "Sources", "Tests", "rules", "reports", "cron", "scripts", "Benchmarks"] {
            let base = Self.root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let file as URL in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.hasPrefix("<<<<<<< ") || line.hasPrefix(">>>>>>> ") {
                    found.append("\(file.path.dropFirst(Self.root.path.count + 1)):\(number + 1)")
                }
            }
        }
        for file in ["README.md", "vitals.example.yml", "Package.swift"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            if text.split(separator: "\n").contains(where: { $0.hasPrefix("<<<<<<< ") || $0.hasPrefix(">>>>>>> ") }) { found.append(file) }
        }
        #expect(found == [])
    }
}
