import Foundation
import Testing

@testable import VitalsCollectors

/// Finding input files: the globbing both the coverage and the SARIF collectors use.
@Suite struct CoverageFileSearchTests {
    @Test(arguments: [
        ("coverage.json", "*.json", true),
        ("coverage.json", "*.xml", false),
        ("lcov.info", "lcov.info", true),
        ("lcov.info", "lcov?info", true),
        ("lcov.info", "l*v.*o", true),
        ("lcov.info.bak", "*.info", false),
        ("a", "?", true),
        ("", "*", true),
        ("ab", "a*b*", true),
        ("aXbYc", "a*b*d", false),
    ])
    func segmentMatching(name: String, pattern: String, matches: Bool) {
        #expect(GlobPattern.matches(name, pattern: pattern) == matches)
    }

    @Test func anyDepthSkipsBuildAndGitButLiteralPathsReachThem() throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        for path in [
            "root.sarif", "a/b/c/deep.sarif", "a/notes.txt", ".build/checkouts/dep/dep.sarif", ".git/x.sarif", "docs/.build/x.sarif",
            ".build/debug/codecov/Grade.json", ".build/debug/codecov/default.profdata",
        ] {
            try repository.write(Data("x".utf8), at: path)
        }
        // A link back up the tree would make `**` loop forever if it were followed.
        try repository.link("a/b/loop", to: "..")
        let files = InputFiles(root: repository.root)

        #expect(files.find(["**/*.sarif"]).map(\.relativePath) == ["a/b/c/deep.sarif", "root.sarif"])
        #expect(files.find([".build/debug/codecov/*.json"]).map(\.relativePath) == [".build/debug/codecov/Grade.json"])
        #expect(files.find(["./a/b/c/deep.sarif", "a/*/c/*.sarif", "missing.sarif", "a"]).map(\.relativePath) == ["a/b/c/deep.sarif"])
        #expect(
            files.find(["a/**"]).map(\.url)
                == [
                    repository.root.appendingPathComponent("a/b/c/deep.sarif"),
                    repository.root.appendingPathComponent("a/notes.txt"),
                ].map(\.standardizedFileURL))
    }
}
