import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Gives back the memory an idle daemon holds only because it ran something once: the heap that glibc keeps after frees,
/// and the code and read-only data pages of the binary and its libraries that start-up or the last job touched.
///
/// Linux counts every page of a mapped file that a process touched in its resident memory until memory runs short, and
/// maps up to 16 pages around each one touched: after start-up (configuration, migrations, rule parsing) and after a
/// collection (the git, coverage and HTTP code) the daemon holds some 40 MB of vitals', Foundation's and ICU's code that
/// its idle work (lease renewals, outbox and alert rounds) never runs again. Dropping the pages from this process's page
/// tables (`madvise(MADV_DONTNEED)`) leaves them in the page cache; what runs next maps back what it needs, without
/// reading the disk. Android compacts idle background processes the same way.
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
            guard let smaps = FileHandle(forReadingAtPath: "/proc/self/smaps"), let data = try? smaps.readToEnd() else { return 0 }
            try? smaps.close()
            var dropped = 0
            for mapping in CleanFileMappings(smaps: String(decoding: data, as: UTF8.self)).mappings
            where madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), mapping.length, MADV_DONTNEED) == 0 {
                dropped += 1
            }
            return dropped
        #else
            return 0
        #endif
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
