import Foundation
import Testing
import VitalsTestSupport

/// Where the store is and what state its file is in: absolute paths, stores this user cannot write, and every way a file
/// can be unusable, each reported as `vitals: PATH: what is wrong; what to do`.
@Suite struct StoreFileTests {
    let now = "2026-11-25T12:00:00Z"
    let query = ["query", "git_commits", "--format", "csv", "--from", "2026-11-22T00:00:00Z", "--to", "2026-11-26T00:00:00Z"]

    func repository() throws -> GitRepository {
        let repository = try GitRepository(name: "api")
        try repository.write("main.c", "int main(void) { return 0; }\n")
        try repository.commit("start", at: "2026-11-23T10:00:00+00:00")
        try repository.write("main.c", "int main(void) { return 1; }\n")
        try repository.commit("exit 1", at: "2026-11-24T10:00:00+00:00")
        return repository
    }

    func collected() throws -> (GitRepository, String) {
        let repository = try repository()
        let collect = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        #expect(collect.status == 0, "\(collect.stderr)")
        return (repository, repository.url.appendingPathComponent(".vitals/vitals.db").path)
    }

    @Test func anAbsoluteStorePathInTheConfigurationIsUsedAsItIs() throws {
        let repository = try repository()
        let elsewhere = try TemporaryFolder()
        let store = elsewhere.url.appendingPathComponent("data/vitals.db").path
        try repository.write("vitals.yml", "store: \(store)\n")
        let collect = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        #expect(collect.status == 0, "\(collect.stderr)")
        #expect(FileManager.default.fileExists(atPath: store))
        #expect(!FileManager.default.fileExists(atPath: repository.url.appendingPathComponent(String(store.dropFirst())).path))
        let answer = try VitalsProcess.run(query, in: repository.url)
        #expect(answer.stdout.contains(#"git_commits,"repo=""api"",source=""git""",2026-11-24T00:00:00Z,1"#), "\(answer.stderr)")
    }

    /// Which part of the store this user cannot write.
    enum ReadOnlyPart: String, CaseIterable, CustomTestStringConvertible {
        case file
        case folder
        case fileAndFolder

        var testDescription: String { rawValue }
    }

    @Test(arguments: ReadOnlyPart.allCases)
    func aStoreThisUserCannotWriteIsReadByQueryAndReportAndRefusedByCollect(part: ReadOnlyPart) throws {
        let (repository, path) = try collected()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let report = ["report", "--no-collect", "--now", now, "--format", "json"]
        let queried = try VitalsProcess.run(query, in: repository.url)
        let reported = try VitalsProcess.run(report, in: repository.url)
        #expect(queried.stdout.contains(#"git_commits,"repo=""api"",source=""git""",2026-11-24T00:00:00Z,1"#))

        let locked = try ReadOnly(
            part == .file ? [URL(fileURLWithPath: path)] : part == .folder ? [folder] : [URL(fileURLWithPath: path), folder])
        defer { locked.undo() }

        let queriedAgain = try VitalsProcess.run(query, in: repository.url)
        #expect(queriedAgain.status == 0 && queriedAgain.stderr.isEmpty, "\(queriedAgain.stderr)")
        #expect(queriedAgain.stdout == queried.stdout)
        let reportedAgain = try VitalsProcess.run(report, in: repository.url)
        #expect(reportedAgain.status == 0 && reportedAgain.stderr.isEmpty, "\(reportedAgain.stderr)")
        #expect(reportedAgain.stdout == reported.stdout)

        let collect = try VitalsProcess.run(["collect", "git", "--now", now], in: repository.url)
        #expect(collect.status == 1)
        let what = part == .file ? "the file" : "its folder \(folder.path)"
        #expect(
            collect.stderr
                == "vitals: \(path): the store is read-only: this user cannot write \(what); run the commands that write (collect, alerts) "
                + "as the store's owner, or give this user write permission there; query and report --no-collect can read it as it is\n")
    }

    @Test func aDamagedStoreSaysSoAndWhatToDo() throws {
        let (repository, path) = try collected()
        // Keep the header page (so SQLite still knows the file), overwrite every page after it.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data((4096..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }))
        try handle.close()
        let result = try VitalsProcess.run(query, in: repository.url)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "vitals: \(path): the store is damaged (SQLite: database disk image is malformed); restore it from a backup, "
                + "or move it aside and run `vitals collect --backfill 90d` to start a new one from what the sources still hold\n")
    }

    @Test func aFileThatIsNotADatabaseSaysSo() throws {
        let folder = try TemporaryFolder()
        let notes = try folder.write("notes.db", String(repeating: "these are my notes, not a database\n", count: 200))
        let result = try VitalsProcess.run(["query", "--store", notes], in: folder.url)
        #expect(result.status == 1)
        #expect(result.stderr == "vitals: \(notes): not a vitals database: the file is not an SQLite database; point --store at a vitals .db file\n")
    }

    @Test func aFolderInPlaceOfTheStoreSaysSo() throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(["collect", "--store", folder.url.path], in: folder.url)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "vitals: \(folder.url.path): cannot open the store: it is a folder, not a store file; "
                + "point --store (or `store:` in vitals.yml) at a file, e.g. \(folder.url.path)/vitals.db\n")
    }

    /// Root reads every file whatever its permissions, so the store is read by vitals running as the user `nobody`.
    @Test(.enabled(if: OtherUser.isAvailable, "needs root, to run vitals as the user nobody"))
    func aStoreThisUserCannotReadSaysSo() throws {
        let (repository, path) = try collected()
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let result = try OtherUser.run(["query", "--store", path], in: repository.url)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "vitals: \(path): permission denied: this user cannot read the file; run vitals as its owner or give this user read permission\n")
    }

    /// A real full disk: a 2 MiB tmpfs mounted in a private mount namespace (as root; skipped where mounting is not allowed),
    /// filled to its last 60 KiB after the store is made, then a backfill that needs more.
    @Test(.enabled(if: TinyFileSystem.isAvailable, "needs unshare and mount: root, or a user namespace with mount rights"))
    func aFullDiskSaysSoAndTheStoreKeepsWhatItHad() throws {
        let repository = try repository()
        let mountPoint = try TemporaryFolder()
        let store = mountPoint.url.appendingPathComponent("vitals.db").path
        let script = """
            mount -t tmpfs -o size=2m tmpfs "$1" || exit 99
            "$0" query --store "$1/vitals.db" > /dev/null || exit 98
            dd if=/dev/zero of="$1/filler" bs=1k count=$(( $(df --output=avail -k "$1" | tail -1) - 60 )) 2> /dev/null
            "$0" collect git --backfill 3650d --store "$1/vitals.db" --now \(now)
            echo "exit $?"
            rm "$1/filler"
            "$0" query --runs --store "$1/vitals.db"
            """
        let result = try TinyFileSystem.run(script, binary: VitalsProcess.binary.path, mountPoint: mountPoint.url.path, in: repository.url)
        #expect(
            result.stderr
                == "vitals: \(store): the disk is full: the last transaction was rolled back and nothing of it was stored; "
                + "free space on the file system that holds the store, or move the store elsewhere (`store:` in vitals.yml, or --store)\n")
        // The collection failed as a whole (exit 1), and what the store holds afterwards is consistent: no half-written run.
        #expect(result.stdout.hasPrefix("exit 1\n"), "\(result.stdout)")
    }
}

/// Makes files and folders read-only for every user. Permission bits do not stop root, so when the tests run as root the
/// immutable attribute (`chattr +i`), which stops root too, is set as well.
private struct ReadOnly {
    let urls: [URL]

    init(_ urls: [URL]) throws {
        self.urls = urls
        for url in urls {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
            try FileManager.default.setAttributes([.posixPermissions: isFolder.boolValue ? 0o555 : 0o444], ofItemAtPath: url.path)
            if geteuid() == 0 { try Self.chattr("+i", url) }
        }
    }

    func undo() {
        for url in urls {
            if geteuid() == 0 { try? Self.chattr("-i", url) }
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
    }

    private static func chattr(_ flag: String, _ url: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chattr", flag, url.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path]) }
    }
}

/// A shell script run in a private mount namespace (`unshare -m`), where it may mount a small file system that disappears
/// with it.
private enum TinyFileSystem {
    static let isAvailable: Bool = {
        guard let folder = try? TemporaryFolder() else { return false }
        return (try? run(#"mount -t tmpfs -o size=64k tmpfs "$1""#, binary: "/bin/true", mountPoint: folder.url.path, in: folder.url).status) == 0
    }()

    /// Runs `script` with `$0` the vitals binary and `$1` the mount point, in `directory`, as the CLI tests run vitals.
    static func run(_ script: String, binary: String, mountPoint: String, in directory: URL) throws -> VitalsProcess.Result {
        try VitalsProcess.run(["-m", "sh", "-c", script, binary, mountPoint], in: directory, executable: URL(fileURLWithPath: "/usr/bin/unshare"))
    }
}

/// vitals run as the user `nobody`, from root.
private enum OtherUser {
    static let isAvailable: Bool = geteuid() == 0 && (try? run(["--version"], in: URL(fileURLWithPath: "/")).status) == 0

    static func run(_ arguments: [String], in directory: URL) throws -> VitalsProcess.Result {
        try VitalsProcess.run(
            ["--reuid=65534", "--regid=65534", "--clear-groups", VitalsProcess.binary.path] + arguments, in: directory,
            executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
    }
}
