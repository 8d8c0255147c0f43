import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

/// The `repo` label: the `repo` option, else the `origin` remote's path, else the repository's top folder, else the folder.
@Suite struct RepositoryNameTests {
    /// Every URL form git accepts for a remote, and the name each gives.
    @Test(arguments: [
        ("https://github.com/acme/shop.git", "acme/shop"),
        ("https://github.com/acme/shop", "acme/shop"),
        ("https://github.com/acme/shop/", "acme/shop"),
        ("http://git.example.org:8080/acme/shop.git", "acme/shop"),
        ("https://user:s3cret@github.com/acme/shop.git", "acme/shop"),
        ("https://x-access-token:ghp_abc@github.com/acme/shop.git?ref=main#top", "acme/shop"),
        ("ssh://git@github.com/acme/shop.git", "acme/shop"),
        ("ssh://git@git.example.org:2222/acme/shop.git", "acme/shop"),
        ("git://git.kernel.org/pub/scm/git/git.git", "pub/scm/git/git"),
        ("git@github.com:acme/shop.git", "acme/shop"),
        ("github.com:acme/shop", "acme/shop"),
        ("git@gitlab.com:group/subgroup/shop.git", "group/subgroup/shop"),
        ("https://gitlab.com/group/subgroup/deeper/shop.git", "group/subgroup/deeper/shop"),
        ("https://example.org/acme/my%20shop.git", "acme/my shop"),
        ("/srv/git/shop.git", "shop"),
        ("/srv/git/shop", "shop"),
        ("/work/shop/.git", "shop"),
        ("../shop", "shop"),
        ("file:///srv/git/shop.git", "shop"),
        ("file:///srv/git/my%20shop/", "my shop"),
        ("  https://github.com/acme/shop.git\n", "acme/shop"),
    ])
    func remoteURLs(url: String, name: String) {
        #expect(RepositoryName.name(ofRemote: url) == name)
    }

    @Test(arguments: ["", "https://github.com", "https://github.com/", "git@github.com:", "git@github.com:.git", "/", ".", ".."])
    func urlsWithoutAName(url: String) {
        #expect(RepositoryName.name(ofRemote: url) == nil)
    }

    /// A checkout in a folder named `main` with an `origin` is labelled with the remote's name, not `main`.
    @Test func theOriginRemoteNamesTheRepository() throws {
        let repository = try GitRepository(name: "main")
        try repository.git("remote", "add", "origin", "git@github.com:acme/shop.git")
        #expect(RepositoryName.label(of: repository.url, configured: nil) == "acme/shop")
        #expect(RepositoryName.label(of: repository.url, configured: "shop-eu") == "shop-eu")
    }

    /// Without `origin` (another remote does not count), the repository's top folder names it, also for a subfolder.
    @Test func withoutOriginTheTopFolderNamesTheRepository() throws {
        let repository = try GitRepository(name: "main")
        try repository.git("remote", "add", "upstream", "https://github.com/acme/shop.git")
        try repository.write("Sources/a.swift", "let a = 1\n")
        #expect(RepositoryName.label(of: repository.url, configured: nil) == "main")
        #expect(RepositoryName.label(of: repository.url.appendingPathComponent("Sources"), configured: nil) == "main")
    }

    @Test func aFolderOutsideAnyRepositoryIsNamedAfterItself() throws {
        let repository = try GitRepository(name: "reports", initialize: false)
        #expect(RepositoryName.label(of: repository.url, configured: nil) == "reports")
    }

    /// Every local collector labels its samples the same way, and writes only the metrics it declares.
    @Test func everyLocalCollectorUsesTheLabel() async throws {
        let repository = try GitRepository(name: "main")
        try repository.git("remote", "add", "origin", "https://github.com/acme/shop.git")
        try repository.write("coverage/lcov.info", "SF:a.c\nLF:2\nLH:1\nend_of_record\n")
        try repository.write("lint.sarif", #"{"version": "2.1.0", "runs": []}"#)
        try repository.write("a.c", "// TODO: x\n")
        try repository.commit("start", at: "2026-11-24T10:00:00+00:00")
        let request = CollectionRequest(now: RFC3339.parse("2026-11-25T12:00:00Z")!, timeZone: .gmt)
        let collectors: [any Collector] = [
            GitCollector(repository: repository.url), CoverageCollector(repository: repository.url),
            SarifCollector(repository: repository.url), MarkersCollector(repository: repository.url),
        ]
        for collector in collectors {
            let samples = try await collector.collect(request)
            #expect(Set(samples.map { $0.series.key.labels["repo"] }) == ["acme/shop"], "\(collector.source)")
            // The runner hands series from before the `source` label to a source by these names.
            #expect(Set(samples.map(\.series.key.name)).isSubset(of: collector.metrics), "\(collector.source)")
        }
        let configured = try await MarkersCollector(repository: repository.url, repo: "shop").collect(request)
        #expect(Set(configured.map { $0.series.key.labels["repo"] }) == ["shop"])
    }
}
