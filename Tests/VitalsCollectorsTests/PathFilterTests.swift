import Foundation
import Testing
@testable import VitalsCollectors

@Suite struct PathFilterTests {
    @Test(
        "a pattern matches a path or a folder it is in",
        arguments: [
            (".build", ".build/debug/x.swift", true),
            (".build", "Sources/.build/x.swift", false),
            ("**/.build", "Packages/A/.build/checkouts/B/b.swift", true),
            ("**/Tests", "Tests/ATests/a.swift", true),
            ("**/Tests", "Sources/TestsSupport/a.swift", false),
            ("**/*Tests.swift", "Sources/A/ATests.swift", true),
            ("**/*Tests.swift", "Sources/A/Tests.swift", true),
            ("**/*Tests.swift", "Sources/A/Testsuite.swift", false),
            ("*.swift", "a.swift", true),
            ("*.swift", "Sources/a.swift", false),
            ("Sources/*/a.swift", "Sources/X/a.swift", true),
            ("Sources/*/a.swift", "Sources/X/Y/a.swift", false),
            ("Sources/**/a.swift", "Sources/a.swift", true),
            ("Sources/**/a.swift", "Sources/X/Y/a.swift", true),
            ("vendor", "vendor", true),
            ("vendor", "vendored/a.c", false),
            ("./lib/", "lib/a.c", true),
            ("a?.c", "ab.c", true),
            ("a?.c", "abc.c", false),
        ])
    func matching(pattern: String, path: String, matches: Bool) {
        #expect(PathFilter(include: [pattern]).contains(path) == matches)
        #expect(PathFilter(exclude: [pattern]).contains(path) == !matches)
    }

    @Test func includeThenExclude() {
        let filter = PathFilter(include: ["Sources", "Plugins"], exclude: ["**/Generated"])
        #expect(filter.contains("Sources/A/a.swift"))
        #expect(filter.contains("Plugins/p.swift"))
        #expect(!filter.contains("Sources/A/Generated/g.swift"))
        #expect(!filter.contains("Tests/a.swift"))
        #expect(PathFilter().contains("anything/at/all"))
        #expect(filter.description == "include Sources, Plugins; exclude **/Generated")
        #expect(PathFilter().description == "every file")
    }

    @Test(
        "an export's file names are taken relative to the repository; outside it they never count",
        arguments: [
            ("/repo/Sources/a.swift", "Sources/a.swift"),
            ("/repo/Sources/../Tests/a.swift", "Tests/a.swift"),
            ("Sources/a.swift", "Sources/a.swift"),
            ("../other/a.swift", nil),
            ("/repository/a.swift", nil),
            ("/elsewhere/a.swift", nil),
        ])
    func projectFiles(filename: String, relative: String?) {
        #expect(ProjectFiles(root: URL(fileURLWithPath: "/repo")).relativePath(of: filename) == relative)
    }
}
