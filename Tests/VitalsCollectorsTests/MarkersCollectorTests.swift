import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsTestSupport

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

    @Test(
        "counts markers in comments only, by the file's language",
        arguments: [
            (
                "a.swift",
                #"""
                let s = "TODO" // FIXME
                /* HACK /* nested TODO */ XXX */
                let r = #"// TODO "# + "\"// TODO"
                /// TODO: doc comments count
                let m = """
                // TODO inside a multi-line string
                """
                #if DEBUG // HACK
                #endif
                """#,
                [MarkerKind.todo: 2, .fixme: 1, .hack: 2, .xxx: 1]
            ),
            (
                "a.py",
                #"""
                x = "# TODO"  # FIXME
                """TODO in a docstring"""
                '''
                # HACK in a string
                '''
                # XXX
                """#,
                [.fixme: 1, .xxx: 1]
            ),
            ("run.sh", #"echo $# TODO"# + "\n" + #"echo "a # TODO" 'b # TODO'"# + "\n# FIXME\nx=1 # HACK\n", [.fixme: 1, .hack: 1]),
            ("ci.yml", "key: value # TODO\nurl: \"http://x#TODO\"\ntext: don't # FIXME\n# HACK\n", [.todo: 1, .fixme: 1, .hack: 1]),
            ("q.sql", "SELECT 'TODO -- not a comment' -- FIXME\n/* HACK */\n", [.fixme: 1, .hack: 1]),
            (
                "lib.rs", #"fn f<'a>(x: &'a str) -> char { '"' } // TODO"# + "\n" + ##"let s = r#"// FIXME"#; /* /* HACK */ */ let c = '\'';"##,
                [.todo: 1, .hack: 1]
            ),
            ("main.go", "x := `\n// TODO\n` // FIXME\n", [.fixme: 1]),
            ("app.ts", "const s = `TODO ${x}` // HACK\n" + #"const t = 'it\'s // TODO'"#, [.hack: 1]),
            ("page.html", "<p>TODO</p><!-- FIXME -->\n", [.fixme: 1]),
            ("init.lua", "s = [[ -- TODO ]] --[[ FIXME ]] -- HACK\n", [.fixme: 1, .hack: 1]),
            ("M.hs", "f x' = x' -- TODO\n{- {- FIXME -} HACK -}\n", [.todo: 1, .fixme: 1, .hack: 1]),
            ("main.c", #"char c = '"'; // TODO"# + "\n" + #"char *s = "/* FIXME */";"#, [.todo: 1]),
            ("Makefile", "all: # TODO\n\techo TODO\n", [.todo: 1]),
            ("style.css", "a { content: \"/* TODO */\" } /* FIXME */\n", [.fixme: 1]),
            ("unterminated.js", "const s = \"TODO\n// FIXME\n", [.fixme: 1]),
            ("quoted.swift", "/// Counts `TODO` and `// FIXME` words. TODO: cache\n/* `HACK` XXX */\n// an open ` XXX\n", [.todo: 1, .xxx: 2]),
        ])
    func commentsOnly(file: String, text: String, expected: [MarkerKind: Int]) throws {
        let syntax = try #require(CommentSyntax.of(fileNamed: "src/" + file))
        let complete = Dictionary(uniqueKeysWithValues: MarkerKind.allCases.map { ($0, expected[$0, default: 0]) })
        #expect(CommentScanner.markers(in: text, syntax: syntax) == complete)
    }

    @Test(
        "random mixes of delimiters end, and count no more markers than the text holds",
        arguments: ["a.swift", "a.rs", "a.py", "a.sh", "a.yml", "a.sql", "a.lua", "a.hs", "a.html", "a.go", "a.js", "a.kt", "a.css", "a.rb"])
    func randomInput(file: String) throws {
        let syntax = try #require(CommentSyntax.of(fileNamed: file))
        let pieces = [
            "//", "/*", "*/", "\"", "'", "`", "#", "\n", "TODO", " ", "\\", "r#", "--", "[[", "]]", "{-", "-}", "<!--", "-->", "\"\"\"",
            "'''", "x", "é",
        ]
        var random = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 0...60, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            let inComments = CommentScanner.markers(in: text, syntax: syntax)
            let everywhere = MarkerCounter.count(in: text)
            #expect(inComments[.todo, default: 0] <= everywhere[.todo, default: 0], "\(text.debugDescription)")
        }
    }

    @Test("files of unknown type have no comment syntax", arguments: ["README.md", "notes.txt", "LICENSE", "data.json", ".gitignore", "a.swiftx"])
    func unknownTypes(file: String) {
        #expect(CommentSyntax.of(fileNamed: file) == nil)
    }

    @Test("extensions are read case-insensitively, special files by name", arguments: ["A.SWIFT", "x/Makefile", "Dockerfile", "CMakeLists.txt"])
    func knownTypes(file: String) {
        #expect(CommentSyntax.of(fileNamed: file) != nil)
    }

    @Test("counts comments of tracked source files, not prose, strings, vendored code or fixtures; all four kinds stamped at now")
    func collect() async throws {
        let repository = try GitRepository(name: "app")
        try repository.write("Sources/main.swift", "// TODO: one\n// TODO(bo): two\nlet x = \"TODO\" // FIXME\n")
        try repository.write("README.md", "HACK around XXX and TODO\n")
        try repository.write("scripts/build.sh", "# XXX\n")
        try repository.write("image.swift", bytes: Array("// TODO ".utf8) + [0] + Array(" TODO".utf8))
        try repository.write("Sources/huge.swift", "// TODO\n" + String(repeating: "x", count: MarkersCollector.maximumFileSize))
        for folder in ["vendor", "lib/third_party", "web/node_modules/x", "Tests/Fixtures", "fixtures", "pkg/testdata"] {
            try repository.write("\(folder)/a.swift", "// HACK\n")
        }
        try repository.commit("Files", at: "2026-03-01T10:00:00Z")
        try repository.write("untracked.swift", "// TODO FIXME HACK XXX\n")
        let now = RFC3339.parse("2026-03-02T08:00:00Z")!

        let samples = try await MarkersCollector(repository: repository.url).collect(CollectionRequest(now: now, timeZone: .gmt))

        #expect(samples == gauges(at: now, todo: 2, fixme: 1, hack: 0, xxx: 1))
    }

    @Test("include and exclude replace the default folders")
    func configuredFilter() async throws {
        let repository = try GitRepository(name: "app")
        try repository.write("Sources/main.swift", "// TODO\n")
        try repository.write("vendor/lib.swift", "// FIXME\n")
        try repository.write("Tests/Fixtures/a.py", "# HACK\n")
        try repository.commit("Files", at: "2026-03-01T10:00:00Z")
        let now = RFC3339.parse("2026-03-02T08:00:00Z")!

        func count(_ options: [String: ConfigValue]) async throws -> [Sample] {
            let config = SourceConfig(name: "markers", type: .markers, options: options)
            return try await SourceRegistry.collector(for: config, root: repository.url).collect(CollectionRequest(now: now, timeZone: .gmt))
        }
        #expect(try await count([:]) == gauges(at: now, todo: 1, fixme: 0, hack: 0, xxx: 0))
        #expect(try await count(["exclude": .list([])]) == gauges(at: now, todo: 1, fixme: 1, hack: 1, xxx: 0))
        #expect(
            try await count(["include": .list(["Tests", "vendor"]), "exclude": .string("**/*.py")])
                == gauges(at: now, todo: 0, fixme: 1, hack: 0, xxx: 0))
    }

    @Test("a backfill counts the end of each local day from git's objects; days without commits carry the last count")
    func backfill() async throws {
        let repository = try GitRepository(name: "app")
        try repository.write("a.swift", "// TODO one\n// TODO two\n")
        try repository.commit("Two", at: "2026-03-01T10:00:00Z")
        try repository.write("b.py", "# FIXME\nx = 'TODO'\n")
        try repository.commit("Fix", at: "2026-03-03T09:00:00Z")
        // A side branch merged on 03-04: its own commit is not on the first-parent line.
        try repository.git("checkout", "-q", "-b", "side")
        try repository.write("c.swift", "// HACK\n")
        try repository.commit("Side", at: "2026-03-03T12:00:00Z")
        try repository.git("checkout", "-q", "main")
        try repository.write("a.swift", "// TODO one\n")
        try repository.commit("One", at: "2026-03-03T22:00:00Z")
        try repository.merge("side", at: "2026-03-04T11:00:00Z")
        // A commit with a skewed clock counts as made at its parent's date, 03-04.
        try repository.write("d.swift", "// XXX\n")
        try repository.commit("Skewed", at: "1970-01-02T00:00:00Z")
        // The working tree differs from HEAD: the count at now reads it.
        try repository.write("a.swift", "")
        let now = RFC3339.parse("2026-03-05T08:00:00Z")!
        let request = CollectionRequest(now: now, timeZone: .gmt, since: RFC3339.parse("2026-02-27T12:00:00Z")!)

        let samples = try await MarkersCollector(repository: repository.url).collect(request)

        func endOfDayBefore(_ day: String) -> Timestamp { RFC3339.parse("\(day)T00:00:00Z")!.subtracting(TimeSpan(milliseconds: 1)) }
        #expect(
            samples
                == gauges(at: endOfDayBefore("2026-03-02"), todo: 2, fixme: 0, hack: 0, xxx: 0)
                + gauges(at: endOfDayBefore("2026-03-03"), todo: 2, fixme: 0, hack: 0, xxx: 0)
                + gauges(at: endOfDayBefore("2026-03-04"), todo: 1, fixme: 1, hack: 0, xxx: 0)
                + gauges(at: endOfDayBefore("2026-03-05"), todo: 1, fixme: 1, hack: 1, xxx: 1)
                + gauges(at: now, todo: 0, fixme: 1, hack: 1, xxx: 1))
    }

    @Test("day ends are local: in Berlin a commit at 23:30 UTC belongs to the next day")
    func backfillInAZone() async throws {
        let repository = try GitRepository(name: "app")
        try repository.write("a.swift", "// TODO\n")
        try repository.commit("One", at: "2026-03-01T10:00:00Z")
        try repository.write("b.swift", "// TODO\n")
        try repository.commit("Two", at: "2026-03-01T23:30:00Z")
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let now = RFC3339.parse("2026-03-02T12:00:00+01:00")!
        let request = CollectionRequest(now: now, timeZone: berlin, since: RFC3339.parse("2026-03-01T00:00:00+01:00")!)

        let samples = try await MarkersCollector(repository: repository.url).collect(request)

        let endOfFirst = RFC3339.parse("2026-03-02T00:00:00+01:00")!.subtracting(TimeSpan(milliseconds: 1))
        #expect(samples == gauges(at: endOfFirst, todo: 1, fixme: 0, hack: 0, xxx: 0) + gauges(at: now, todo: 2, fixme: 0, hack: 0, xxx: 0))
    }

    @Test("a backfill of a subfolder reads that folder of each commit")
    func backfillOfASubfolder() async throws {
        let repository = try GitRepository(name: "app")
        try repository.write("Sources/a.swift", "// TODO\n")
        try repository.write("other.swift", "// FIXME\n")
        try repository.commit("One", at: "2026-03-01T10:00:00Z")
        let now = RFC3339.parse("2026-03-02T12:00:00Z")!
        let collector = MarkersCollector(repository: repository.url.appendingPathComponent("Sources"))

        let samples = try await collector.collect(CollectionRequest(now: now, timeZone: .gmt, since: RFC3339.parse("2026-03-01T00:00:00Z")!))

        let expected = [RFC3339.parse("2026-03-02T00:00:00Z")!.subtracting(TimeSpan(milliseconds: 1)), now].flatMap { time in
            zip(["todo", "fixme", "hack", "xxx"], [1.0, 0, 0, 0]).map { kind, value in
                Sample("code_markers", ["repo": "app", "kind": kind], kind: .gauge, at: time, value: value)
            }
        }
        #expect(samples == expected)
    }

    func gauges(at time: Timestamp, todo: Double, fixme: Double, hack: Double, xxx: Double) -> [Sample] {
        zip(["todo", "fixme", "hack", "xxx"], [todo, fixme, hack, xxx]).map { kind, value in
            Sample("code_markers", ["repo": "app", "kind": kind], kind: .gauge, at: time, value: value)
        }
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
