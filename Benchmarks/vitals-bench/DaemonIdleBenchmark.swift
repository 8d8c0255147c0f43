import Foundation
import VitalsCore
import VitalsScheduler

/// `vitals run` (the release binary) idle with the shipped schedule: its resident memory and the processor time it uses
/// over a measured minute in which no job is due. The daemon sleeps until its next job, so it should use next to none.
struct DaemonIdleBenchmark {
    let folder: URL
    let window = 60.0

    func run() throws {
        let repository = folder.appendingPathComponent("daemon-idle")
        try runProgram("/usr/bin/env", ["git", "init", "-q", "-b", "main", repository.path])
        try runProgram("/usr/bin/env", ["git", "-C", repository.path, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "--allow-empty", "-m", "start"])
        // A minute with no run of the shipped schedule in it (nor in the start-up before it).
        let schedule = try ScheduleFileParser(defaultTimeZone: .current).parse(DefaultSchedule.text, file: DefaultSchedule.path)
        let soonest = { schedule.jobs.compactMap { $0.schedule.next(after: SystemClock().now()) }.min()! }
        if soonest().milliseconds - SystemClock().now().milliseconds < Int64((window + 15) * 1000) {
            Thread.sleep(forTimeInterval: Double(soonest().milliseconds - SystemClock().now().milliseconds) / 1000 + 20)
        }
        let binary = Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("vitals").path
        let log = repository.appendingPathComponent("daemon.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["run", "--store", repository.appendingPathComponent("vitals.db").path]
        daemon.currentDirectoryURL = repository
        daemon.standardError = try FileHandle(forWritingTo: log)
        try daemon.run()
        defer {
            kill(daemon.processIdentifier, SIGTERM)
            daemon.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: 5)
        let pid = daemon.processIdentifier
        let before = try processorTicks(pid)
        Thread.sleep(forTimeInterval: window)
        let used = Double(try processorTicks(pid) - before) / Double(sysconf(Int32(_SC_CLK_TCK)))
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let ran = (try String(contentsOf: log, encoding: .utf8)).contains("job started")
        line("daemon-idle: resident memory (VmRSS, peak VmHWM)", "\(kilobytes("VmRSS", status) / 1024) MB (peak \(kilobytes("VmHWM", status) / 1024) MB)")
        line("daemon-idle: processor time over \(Int(window)) s", "\(format(used, 3)) s = \(format(100 * used / window, 3)) % of a core")
        line("daemon-idle: targets", "< 30 MB, < 0.1 % of a core\(ran ? " (a job ran during the measurement: not idle)" : "")")
    }

    /// User plus system time of `pid`, in clock ticks (fields 14 and 15 of /proc/PID/stat).
    private func processorTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) is in parentheses and may hold blanks: count fields after its closing one.
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        return Int(fields[11])! + Int(fields[12])!
    }

    private func kilobytes(_ field: String, _ status: String) -> Int {
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
