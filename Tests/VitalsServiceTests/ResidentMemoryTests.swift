import Foundation
import Synchronization
import Testing
import VitalsCore

@testable import VitalsService

@Suite struct ResidentMemoryTests {
    /// Only private, unwritable mappings of files with resident pages of the file's own are dropped: not the relocated
    /// data (its pages are the process's), not writable data, not the kernel's `[vvar]`, not a shared mapping, not one
    /// with nothing resident.
    @Test func onlyCleanPagesOfFilesAreDropped() {
        func mapping(_ range: String, _ permissions: String, _ path: String, rss: Int, anonymous: Int = 0, dirty: Int = 0) -> String {
            """
            \(range) \(permissions) 00000000 08:01 1234                       \(path)
            Size:               1024 kB
            Rss:                \(rss) kB
            Private_Clean:      \(rss - dirty) kB
            Private_Dirty:      \(dirty) kB
            Anonymous:          \(anonymous) kB
            VmFlags: rd ex mr mw me

            """
        }
        let smaps = [
            mapping("55d0a0000000-55d0a0400000", "r-xp", "/usr/bin/vitals", rss: 900),
            mapping("55d0a0400000-55d0a0500000", "r--p", "/usr/bin/vitals", rss: 120, anonymous: 120, dirty: 120),
            mapping("55d0a0500000-55d0a0510000", "rw-p", "/usr/bin/vitals", rss: 64, anonymous: 64, dirty: 64),
            mapping("7f0000000000-7f0000200000", "r--p", "/usr/lib/x86_64-linux-gnu/libcrypto.so.3", rss: 300),
            mapping("7f0000200000-7f0000300000", "r-xp", "/usr/lib/x86_64-linux-gnu/libz.so.1", rss: 0),
            mapping("7f0000300000-7f0000310000", "---p", "/usr/lib/x86_64-linux-gnu/libz.so.1", rss: 0),
            mapping("7f0000400000-7f0000500000", "r--s", "/dev/shm/segment", rss: 40),
            mapping("7ffd00000000-7ffd00004000", "r--p", "[vvar]", rss: 8),
            mapping("7ffd00010000-7ffd00020000", "rw-p", "", rss: 64, anonymous: 64),
        ].joined()
        let found = CleanFileMappings(smaps: smaps).mappings
        #expect(found == [.init(start: 0x55d0_a000_0000, length: 0x40_0000), .init(start: 0x7f00_0000_0000, length: 0x20_0000)])
    }

    /// In this process: the file pages resident before a trim are fewer after it, and the code whose pages were dropped
    /// runs on (it is mapped back from the page cache).
    ///
    /// The other tests of this process run meanwhile and map code back in as they run it: on a loaded machine (a CI run
    /// beside a build) they once mapped more between the two readings than the trim dropped (46,456 kB before, 49,604
    /// after). So the trim is tried up to five times, and one reading lower after it than before is enough.
    @Test func trimmingLowersTheResidentFilePagesAndTheProcessRunsOn() throws {
        func residentFileKilobytes() throws -> Int {
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
            return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        }
        var readings: [(before: Int, after: Int)] = []
        for _ in 0..<5 where readings.last.map({ $0.after >= $0.before }) ?? true {
            let before = try residentFileKilobytes()
            #expect(ResidentMemory.trim() > 0)
            readings.append((before, try residentFileKilobytes()))
        }
        let after = readings.last!.after
        #expect(after < readings.last!.before, "RssFile before and after each trim (kB): \(readings)")
        let encoded = try JSONEncoder().encode(["trimmed": after])
        #expect(try JSONDecoder().decode([String: Int].self, from: encoded) == ["trimmed": after])
    }
}

@Suite struct ResidentMemoryTrimmerTests {
    /// The first call trims; later ones only when the memory grew past the slack and the interval has passed since the last
    /// trim.
    @Test func itTrimsFirstThenOnlyAfterGrowthPastTheSlackAndTheInterval() throws {
        try #require(ResidentMemory.residentBytes() != nil)
        let start = try Timestamp(rfc3339: "2026-03-02T10:00:00Z")
        let clock = Mutex(start)
        let now: @Sendable () -> Timestamp = { clock.withLock { $0 } }
        let patient = ResidentMemoryTrimmer(slack: 1 << 40, interval: .seconds(1), now: now)
        #expect(patient.trimIfGrown())
        clock.withLock { $0 = start.adding(.hours(1)) }
        #expect(!patient.trimIfGrown(), "grown by less than the slack")
        let eager = ResidentMemoryTrimmer(slack: -(1 << 40), interval: .minutes(1), now: now)
        #expect(eager.trimIfGrown())
        clock.withLock { $0 = start.adding(.hours(1)).adding(.seconds(59)) }
        #expect(!eager.trimIfGrown(), "within the interval")
        clock.withLock { $0 = start.adding(.hours(1)).adding(.minutes(1)) }
        #expect(eager.trimIfGrown())
    }
}
