public import Foundation

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
#endif

/// Reads a file a user named (an input file, `vitals.yml`, a rule or rule-test file) without ever blocking or reading forever.
///
/// The path's type is checked before it is opened, so a FIFO, socket or device (`/dev/zero`) is refused with what it is;
/// it is opened non-blocking and checked again on the open descriptor (the path may have changed in between), and a regular
/// file is read up to a size limit. The limits live here, one per kind of file.
public enum RegularFile {
    /// Input files that tools write (coverage reports, SARIF logs): 1 GiB. Generous, since large projects write large reports.
    public static let inputLimit: Int64 = 1 << 30
    /// Files people write (`vitals.yml`, rule files, rule-test files): 64 MiB, far beyond any hand-written or generated one.
    public static let definitionLimit: Int64 = 64 << 20

    /// The file's bytes, or why it cannot be read: it does not exist, is not a regular file, is larger than `limit` bytes, or
    /// the system refused (permissions).
    public static func read(_ path: String, limit: Int64) throws(RegularFileError) -> Data {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .failed(errno) }
        try check(info, limit: limit)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw .failed(errno) }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { throw .failed(errno) }
        try check(info, limit: limit)
        var data = Data(capacity: Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw .failed(errno)
            }
            // A file that grows while it is read stops at the limit too.
            guard Int64(data.count + count) <= limit else { throw RegularFileError(.tooLarge(size: Int64(data.count + count), limit: limit)) }
            data.append(contentsOf: chunk[..<count])
        }
    }

    private static func check(_ info: stat, limit: Int64) throws(RegularFileError) {
        let kind: RegularFileError.Kind? =
            switch info.st_mode & S_IFMT {
            case S_IFREG: nil
            case S_IFDIR: .directory
            case S_IFIFO: .fifo
            case S_IFCHR: .characterDevice
            case S_IFBLK: .blockDevice
            case S_IFSOCK: .socket
            default: .otherType
            }
        if let kind { throw RegularFileError(kind) }
        if Int64(info.st_size) > limit { throw RegularFileError(.tooLarge(size: Int64(info.st_size), limit: limit)) }
    }
}

/// Why ``RegularFile/read(_:limit:)`` refused a file. The description is a predicate about the file (`is a FIFO …`,
/// `does not exist`), without the path, so each caller puts it after the file's name in its own error.
public struct RegularFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case notFound
        case directory
        case fifo
        case characterDevice
        case blockDevice
        case socket
        case otherType
        case tooLarge(size: Int64, limit: Int64)
        /// The system refused, with its reason (`Permission denied`).
        case unreadable(String)
    }

    public let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    static func failed(_ code: Int32) -> RegularFileError {
        RegularFileError(code == ENOENT || code == ENOTDIR ? .notFound : .unreadable(String(cString: strerror(code))))
    }

    public var description: String {
        switch kind {
        case .notFound: "does not exist"
        case .directory: "is a directory, not a file"
        case .fifo: "is a FIFO (named pipe), not a regular file; vitals reads regular files only, so it never waits on a writer"
        case .characterDevice: "is a character device (such as /dev/zero or a terminal), not a regular file"
        case .blockDevice: "is a block device, not a regular file"
        case .socket: "is a socket, not a regular file"
        case .otherType: "is not a regular file"
        case .tooLarge(let size, let limit): "is \(Self.bytes(size)), larger than the \(Self.bytes(limit)) vitals reads from such a file"
        case .unreadable(let reason): "cannot be read: \(reason)"
        }
    }

    /// `1 GiB`, `64 MiB`, `1.5 GiB`, `900 bytes`.
    static func bytes(_ count: Int64) -> String {
        let units: [(String, Int64)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        guard let (unit, size) = units.first(where: { count >= $0.1 }) else { return "\(count) bytes" }
        let value = Double(count) / Double(size)
        return value == value.rounded() ? "\(Int64(value)) \(unit)" : "\(String(format: "%.1f", value)) \(unit)"
    }
}
