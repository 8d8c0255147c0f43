import Foundation
import Synchronization
public import VitalsCore

#if canImport(Glibc)
    import Glibc
#endif

/// Gives back the memory an idle daemon holds only because it ran something once: the heap that glibc keeps after frees,
/// and the code and read-only data pages of the binary and its libraries that start-up or the last job touched.
///
/// Linux counts every page of a mapped file that a process touched in its resident memory until memory runs short, and
/// maps up to 16 pages around each one touched: after start-up (configuration, migrations, rule parsing, the HTTP server)
/// and after a collection (the git, coverage and HTTP code) the daemon holds 30 to 45 MB of vitals', Foundation's and
/// ICU's code that its idle work (lease renewals, outbox and alert rounds) never runs again. Dropping the pages from this
/// process's page tables (`madvise(MADV_DONTNEED)`) leaves them in the page cache; what runs next maps back what it needs,
/// without reading the disk. Android compacts idle background processes the same way.
///
/// Only mappings of files that are not writable and hold no page of their own (smaps `Anonymous: 0 kB`) are dropped: the
/// pages there are the file's, so reading them again gives the same bytes. Relocated data (RELRO) and anything written
/// keeps its private pages and is left alone.
public enum ResidentMemory {
    /// Returns the heap's free memory to the system and drops the clean file pages; returns how many mappings it dropped.
    @discardableResult
    public static func trim() -> Int {
        #if canImport(Glibc)
            // Swift's Glibc module leaves out <malloc.h>: malloc_trim is looked up.
            typealias MallocTrim = @convention(c) (Int) -> Int32
            if let mallocTrim = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(mallocTrim, to: MallocTrim.self)(0) }
            guard let smaps = contents(of: "/proc/self/smaps") else { return 0 }
            var dropped = 0
            for mapping in CleanFileMappings(smaps: smaps).mappings
            where madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), mapping.length, MADV_DONTNEED) == 0 {
                dropped += 1
            }
            return dropped
        #else
            return 0
        #endif
    }

    /// The process's resident memory in bytes (`/proc/self/statm`), nil where there is none to read.
    public static func residentBytes() -> Int? {
        #if canImport(Glibc)
            guard let statm = contents(of: "/proc/self/statm") else { return nil }
            let fields = statm.split(separator: " ")
            guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
            return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
            return nil
        #endif
    }

    /// A file of /proc whole: its size is not known ahead, so it is read in large chunks until the end.
    private static func contents(of path: String) -> String? {
        #if canImport(Glibc)
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { return count == 0 ? String(decoding: bytes, as: UTF8.self) : nil }
                bytes.append(contentsOf: chunk[..<count])
            }
        #else
            return nil
        #endif
    }
}

/// Calls ``ResidentMemory/trim()`` after a piece of work when the resident memory grew by more than `slack` since the last
/// trim, at most once per `interval`: the work a daemon repeats (lease renewals, outbox and alert rounds) maps back 6 to
/// 10 MB of pages it keeps using, and trimming after every round only had it map them back (0.1 s of processor time a
/// minute); start-up, which goes on beside the first rounds, or a job leaves far more. The first call always trims.
public final class ResidentMemoryTrimmer: Sendable {
    let slack: Int
    let interval: TimeSpan
    let now: @Sendable () -> Timestamp
    private let last = Mutex<(at: Timestamp, left: Int)?>(nil)

    /// `slack`: how many bytes the resident memory may grow past what the last trim left; `interval`: how long after a trim
    /// the next may come; `now`: the clock.
    public init(slack: Int = 4 << 20, interval: TimeSpan = .minutes(1), now: @escaping @Sendable () -> Timestamp) {
        self.slack = slack
        self.interval = interval
        self.now = now
    }

    /// Trims when it is due; returns whether it did.
    @discardableResult
    public func trimIfGrown() -> Bool {
        guard let resident = ResidentMemory.residentBytes() else { return false }
        let instant = now()
        let due = last.withLock { last in
            guard let last else { return true }
            return resident > last.left + slack && instant.milliseconds - last.at.milliseconds >= interval.milliseconds
        }
        guard due else { return false }
        ResidentMemory.trim()
        let left = ResidentMemory.residentBytes() ?? resident
        last.withLock { $0 = (instant, left) }
        return true
    }
}

/// The mappings of `/proc/self/smaps` that ``ResidentMemory/trim()`` may drop: private, not writable, backed by a file, with
/// resident pages and none of them private to the process.
struct CleanFileMappings {
    struct Mapping: Equatable {
        let start: UInt
        let length: Int
    }

    let mappings: [Mapping]

    /// Reads the mappings out of the text of an smaps file.
    init(smaps: String) {
        var found: [Mapping] = []
        var current: (mapping: Mapping, eligible: Bool)?
        var resident = false
        var ownPages = false
        func close() {
            if let current, current.eligible, resident, !ownPages { found.append(current.mapping) }
        }
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.hasSuffix(":") {
                let kilobytes = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
                if first == "Rss:" { resident = kilobytes > 0 }
                if first == "Anonymous:" || first == "Private_Dirty:" { ownPages = ownPages || kilobytes > 0 }
                continue
            }
            // A mapping's header: start-end perms offset device inode [path].
            let range = first.split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), fields.count >= 5 else { continue }
            close()
            let permissions = fields[1]
            let path = fields.count >= 6 ? fields[5] : ""
            let eligible = permissions.hasPrefix("r") && !permissions.contains("w") && permissions.hasSuffix("p") && path.hasPrefix("/")
            current = (Mapping(start: start, length: Int(end - start)), eligible)
            resident = false
            ownPages = false
        }
        close()
        mappings = found
    }
}
