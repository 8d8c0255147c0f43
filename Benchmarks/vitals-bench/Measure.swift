import Foundation

/// Times `body` `runs` times and returns the fastest and the median wall time in seconds.
func measure(runs: Int, _ body: () throws -> Void) rethrows -> (best: Double, median: Double) {
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = clock.now
        try body()
        let elapsed = clock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    times.sort()
    return (times[0], times[times.count / 2])
}

/// The processor time (user and system, all threads) this process has used so far, in seconds.
func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    let seconds = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
    let microseconds = usage.ru_utime.tv_usec + usage.ru_stime.tv_usec
    return Double(seconds) + Double(microseconds) / 1e6
}

func measureAsync(runs: Int, _ body: () async throws -> Void) async rethrows -> (best: Double, median: Double) {
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<runs {
        let start = clock.now
        try await body()
        let elapsed = clock.now - start
        times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    times.sort()
    return (times[0], times[times.count / 2])
}

/// Runs a program (found on PATH) to completion with its output discarded, through `posix_spawnp` and `waitpid`: Foundation's `Process`
/// notices a child's exit only at its next poll, which rounds every timing up to a multiple of 50 ms on Linux.
func spawnProgram(_ path: String, _ arguments: [String]) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawnp(&pid, path, &actions, nil, argv, environ) == 0 else { throw BenchError("cannot start \(path)") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    guard status == 0 else { throw BenchError("\(path) \(arguments.joined(separator: " ")) failed (wait status \(status))") }
}

/// Runs a program to completion, stdout discarded or returned; fails loudly on a non-zero exit.
@discardableResult
func runProgram(_ path: String, _ arguments: [String], in directory: URL? = nil, capture: Bool = false) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = capture ? pipe : FileHandle.nullDevice
    try process.run()
    let data = capture ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "bench", code: Int(process.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(path) \(arguments) failed"])
    }
    return data
}

func line(_ label: String, _ value: String) {
    print(label.padding(toLength: 58, withPad: " ", startingAt: 0) + value)
}

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
