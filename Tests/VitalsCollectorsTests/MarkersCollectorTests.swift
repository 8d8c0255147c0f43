import Foundation
import Testing
import VitalsTestSupport
import VitalsCollectors
import VitalsCore

@Suite("Code markers")
struct MarkersCollectorTests {
    @Test(
        "counts markers as whole, upper-case words",
        arguments: [
            ("// TODO: fix", [MarkerKind.todo: 1]),
            ("TODO(ana) later", [.todo: 1]),
            ("# FIXME FIXME\n/* HACK */ XXX", [.fixme: 2, .hack: 1, .xxx: 1]),
            ("TODO.TODO-TODO\tTODO", [.todo: 4]),
            ("TODOS todo Todo MY_TODO TODO2 XXXX FIXMEs _HACK", [:]),
            ("éTODO€", [.todo: 1]),
            ("", [:]),
        ])
    func counting(text: String, expected: [MarkerKind: Int]) {
        let complete = Dictionary(uniqueKeysWithValues: MarkerKind.allCases.map { ($0, expected[$0, default: 0]) })
        #expect(MarkerCounter.count(in: text) == complete)
    }

    @Test("counts tracked text files only, all four kinds stamped at now")
    func collect() async throws {
        let repository = try GitRepository(name: "app")
        try repository.write("Sources/main.swift", "// TODO: one\n// TODO(bo): two\nlet x = 1 // FIXME\n")
        try repository.write("README.md", "HACK around XXX and TODOS\n")
        try repository.write("image.bin", bytes: Array("TODO ".utf8) + [0] + Array(" TODO".utf8))
        try repository.write("vendor/huge.txt", "TODO\n" + String(repeating: "x", count: MarkersCollector.maximumFileSize))
        try repository.commit("Files", at: "2026-03-01T10:00:00Z")
        try repository.write("untracked.txt", "TODO FIXME HACK XXX\n")
        let now = RFC3339.parse("2026-03-02T08:00:00Z")!

        let samples = try await MarkersCollector(repository: repository.url).collect(CollectionRequest(now: now, timeZone: .gmt))

        func gauge(_ kind: String, _ value: Double) -> Sample {
            Sample("code_markers", ["repo": "app", "kind": kind], kind: .gauge, at: now, value: value)
        }
        #expect(samples == [gauge("todo", 2), gauge("fixme", 1), gauge("hack", 1), gauge("xxx", 1)])
    }

    @Test("a repository without files has four zero counts")
    func empty() async throws {
        let repository = try GitRepository(name: "app")
        let samples = try await MarkersCollector(repository: repository.url).collect(CollectionRequest(now: Timestamp(seconds: 0), timeZone: .gmt))
        #expect(samples.map(\.value) == [0, 0, 0, 0])
        #expect(samples.map { $0.series.key.labels["kind"] } == ["todo", "fixme", "hack", "xxx"])
    }

    @Test("a folder that is not a repository is an error naming it")
    func notARepository() async throws {
        let folder = try GitRepository(initialize: false)
        let error = try await #require(throws: CollectorError.self) {
            try await MarkersCollector(repository: folder.url).collect(CollectionRequest(now: Timestamp(seconds: 0), timeZone: .gmt))
        }
        #expect(error.source == "markers")
        #expect(error.message.hasPrefix("git ls-files failed in \(folder.url.path) (exit status 128): fatal: not a git repository"))
    }
}
