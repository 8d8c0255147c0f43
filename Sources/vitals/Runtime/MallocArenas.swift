#if canImport(Glibc)
    import Glibc
#endif

/// glibc's malloc gives each thread that allocates under contention an arena of its own, up to eight per core, and each
/// arena keeps the memory freed in it for reuse. vitals runs on many threads (Swift's cooperative pool, the store's
/// dispatch threads, the libcurl thread), so a long collection spread its garbage over up to 16 arenas on two cores:
/// `vitals collect github` over 10,000 pull requests peaked about 30 MB higher than with one arena
/// (`docs/benchmarks.md`). Two arenas keep nearly all of that saving while threads rarely wait for the allocator
/// (glibc's per-thread caches serve most small allocations without a lock).
enum MallocArenas {
    static let limit: Int32 = 2

    /// Bounds the arenas, unless `MALLOC_ARENA_MAX` in the environment already says how many (glibc reads it itself).
    static func bound() {
        #if canImport(Glibc)
            // Swift's Glibc module leaves out <malloc.h>: mallopt is looked up, with glibc's M_ARENA_MAX (-8).
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard getenv("MALLOC_ARENA_MAX") == nil, let mallopt = dlsym(nil, "mallopt") else { return }
            _ = unsafeBitCast(mallopt, to: Mallopt.self)(-8, limit)
        #endif
    }
}
