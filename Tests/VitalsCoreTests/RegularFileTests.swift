import Foundation
import Testing
import VitalsCore
import VitalsTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Reading a named file never blocks on a FIFO, never reads a device forever, and says what the path is.
@Suite(.timeLimit(.minutes(1))) struct RegularFileTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    func path(_ name: String) -> String { folder.url.appendingPathComponent(name).path }

    @Test func readsARegularFileAndALinkToOne() throws {
        let file = try folder.write("a.txt", "hello\n")
        try FileManager.default.createSymbolicLink(atPath: path("link"), withDestinationPath: file)
        #expect(try RegularFile.read(file, limit: 6) == Data("hello\n".utf8))
        #expect(try RegularFile.read(path("link"), limit: RegularFile.inputLimit) == Data("hello\n".utf8))
        _ = try folder.write("empty", "")
        #expect(try RegularFile.read(path("empty"), limit: 0).isEmpty)
    }

    @Test func aFIFOWithoutAWriterIsRefusedAtOnce() throws {
        #expect(mkfifo(path("pipe"), 0o600) == 0)
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read(path("pipe"), limit: RegularFile.inputLimit) }
        #expect(error?.kind == .fifo)
        #expect(error?.description == "is a FIFO (named pipe), not a regular file; vitals reads regular files only, so it never waits on a writer")
    }

    @Test(arguments: ["/dev/zero", "/dev/null", "/dev/urandom"])
    func aCharacterDeviceIsRefused(device: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path("device"), withDestinationPath: device)
        for named in [device, path("device")] {
            let error = #expect(throws: RegularFileError.self) { try RegularFile.read(named, limit: RegularFile.inputLimit) }
            #expect(error?.description == "is a character device (such as /dev/zero or a terminal), not a regular file")
        }
    }

    @Test func aDirectoryIsRefused() throws {
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read(folder.url.path, limit: RegularFile.inputLimit) }
        #expect(error?.description == "is a directory, not a file")
    }

    @Test func aSocketIsRefused() throws {
        let socketPath = path("s")
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read(socketPath, limit: RegularFile.inputLimit) }
        #expect(error?.description == "is a socket, not a regular file")
    }

    @Test func aMissingFileDoesNotExist() {
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read(path("gone/x"), limit: RegularFile.inputLimit) }
        #expect(error?.kind == .notFound)
        #expect(error?.description == "does not exist")
    }

    @Test func aFileOverTheLimitIsRefusedWithBothSizes() throws {
        let file = try folder.write("big", String(repeating: "x", count: 3 << 20))
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read(file, limit: 2 << 20) }
        #expect(error?.description == "is 3 MiB, larger than the 2 MiB vitals reads from such a file")
        #expect(try RegularFile.read(file, limit: 3 << 20).count == 3 << 20)
    }

    @Test func theLimitsAreGenerous() {
        #expect(RegularFile.inputLimit == 1 << 30)
        #expect(RegularFile.definitionLimit == 64 << 20)
    }
}
