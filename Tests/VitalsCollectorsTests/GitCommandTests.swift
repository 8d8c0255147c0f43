import Foundation
import Testing
import VitalsCollectors

/// The command runner the git collectors use.
@Suite("Running commands without a shell")
struct GitCommandTests {
    @Test("streams all of a large standard output in order")
    func largeOutput() throws {
        var bytes = 0
        var lastByte: UInt8?
        var chunks = 0
        let result = try Command("seq", ["1", "200000"]).run { chunk in
            bytes += chunk.count
            lastByte = chunk.last
            chunks += 1
        }
        // What `seq 1 200000 | wc -c` prints.
        #expect(bytes == 1_288_895)
        #expect(lastByte == UInt8(ascii: "\n"))
        #expect(chunks > 1)
        #expect(result == CommandResult(status: 0, standardError: ""))
    }

    @Test("passes arguments verbatim and reports standard error and the exit status")
    func failure() throws {
        let (result, output) = try Command("sh", ["-c", "printf '%s|' \"$@\"; echo oops >&2; exit 3", "sh", "a b", "$HOME", "*"]).output()
        #expect(String(decoding: output, as: UTF8.self) == "a b|$HOME|*|")
        #expect(result == CommandResult(status: 3, standardError: "oops\n"))
        #expect(!result.succeeded)
    }

    @Test("a command keeps no descriptor open after it ends, so a daemon running commands for months never runs out")
    func noDescriptorOutlivesACommand() throws {
        // Each run opens two pipes; a leak keeps both read ends. Other tests open pipes meanwhile, so the bound is
        // generous: 300 runs that leaked would add 600.
        let before = try Self.openPipes()
        for _ in 0..<300 { _ = try Command("true", []).output() }
        #expect(try Self.openPipes() - before < 150)
    }

    /// How many pipes this process has open now.
    static func openPipes() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count {
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)"))?.hasPrefix("pipe:") ?? false
        }
    }

    @Test("a program that is not on PATH is an error saying where it was looked for")
    func missingProgram() {
        #expect(throws: CommandError(commandLine: "git status", reason: "'git' was not found on PATH (/nonexistent)")) {
            try Command("git", ["status"], environment: ["PATH": "/nonexistent"]).output()
        }
    }

    @Test("an error thrown while reading stops the program and is rethrown")
    func handlerError() {
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try Command("yes", []).run { _ in throw Stop() }
        }
    }
}
