public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program run with an argument vector, never through a shell, so arguments need no quoting.
///
/// Standard output is handed to the caller chunk by chunk as the program writes it, so a large output
/// (a long `git log`) is parsed while it streams and never held in memory twice.
public struct Command: Sendable {
    /// The program's name (looked up on `PATH`) or its path.
    public let executable: String
    public let arguments: [String]
    /// The environment the program runs in; nil inherits this process's environment.
    public let environment: [String: String]?

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    /// Runs the command to completion, passing each chunk of standard output to `standardOutput` in order.
    ///
    /// When `standardOutput` throws, the program is terminated and the error is rethrown. A program that
    /// exits with a non-zero status is not an error here: the caller reads ``CommandResult/status``. A program still
    /// running after `timeout` is killed with its process group (what it started) and ends with ``CommandResult/timedOut``.
    public func run(timeout: Duration? = nil, standardOutput: (UnsafeRawBufferPointer) throws -> Void) throws -> CommandResult {
        let process = Process()
        process.executableURL = try resolvedExecutable()
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        // Waiting on the termination handler rather than `waitUntilExit()`, which on Linux polls the run loop every 50 ms
        // and so adds up to 50 ms to every command.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let started: Bool
        do {
            started = try ChildProcesses.start(process)
        } catch {
            throw CommandError(command: self, reason: "could not start: \(error.localizedDescription)")
        }
        guard started else { throw CommandError(command: self, reason: "not started: vitals is stopping") }
        // Every path below waits for the exit first, so the program is gone when it is forgotten.
        defer { ChildProcesses.finished(process) }
        let deadline = timeout.map { Deadline(process, after: $0) }
        defer { deadline?.cancel() }
        // Standard error is drained on another thread: a program that fills the stderr pipe while we block
        // reading stdout would otherwise never finish.
        let standardError = StandardErrorDrain(errors.fileHandleForReading)
        let reader = output.fileHandleForReading
        do {
            while let chunk = try reader.read(upToCount: 1 << 16), !chunk.isEmpty {
                try chunk.withUnsafeBytes(standardOutput)
            }
        } catch {
            ChildProcesses.killGroup(of: process.processIdentifier)
            exited.wait()
            _ = standardError.text()
            process.waitUntilExit()
            throw error
        }
        exited.wait()
        let result = CommandResult(status: process.terminationStatus, standardError: standardError.text(), timedOut: deadline?.passed ?? false)
        // Without this, Foundation on Linux keeps the exited Process, and with it both pipes' read ends, for good: two
        // descriptors lost per command, until a long-running daemon can open no more. The program has exited, so this
        // returns at once.
        process.waitUntilExit()
        return result
    }

    /// Runs the command and returns its whole standard output, for commands whose output is small.
    public func output(timeout: Duration? = nil) throws -> (result: CommandResult, standardOutput: Data) {
        var data = Data()
        let result = try run(timeout: timeout) { data.append(contentsOf: $0) }
        return (result, data)
    }

    /// What a message shows for this command: `git -C /repo log`.
    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }

    private func resolvedExecutable() throws -> URL {
        if executable.contains("/") { return URL(fileURLWithPath: executable) }
        let path = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? ""
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(executable)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw CommandError(command: self, reason: "'\(executable)' was not found on PATH (\(path))")
    }
}

/// How a command ended.
public struct CommandResult: Sendable, Equatable {
    /// The exit status (or the signal number when the program was killed by one).
    public let status: Int32
    /// Everything the program wrote to standard error, decoded as UTF-8.
    public let standardError: String
    /// Whether it was killed for running past the timeout it was given.
    public let timedOut: Bool

    public init(status: Int32, standardError: String, timedOut: Bool = false) {
        self.status = status
        self.standardError = standardError
        self.timedOut = timedOut
    }

    public var succeeded: Bool { status == 0 && !timedOut }
}

/// A command that could not be run at all: not found, or not startable.
public struct CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public let commandLine: String
    public let reason: String

    public init(commandLine: String, reason: String) {
        self.commandLine = commandLine
        self.reason = reason
    }

    init(command: Command, reason: String) {
        self.init(commandLine: command.commandLine, reason: reason)
    }

    public var description: String { "cannot run \(commandLine): \(reason)" }
}

/// Kills a program that runs past its timeout, with its process group, so that what it started (a shell's `sleep`) does
/// not keep its output pipes open either. The timer waits on a thread of its own, so a busy dispatch pool never delays it.
private final class Deadline: @unchecked Sendable {
    private enum State { case running, passed, finished }
    // Guarded by `condition`.
    private var state = State.running
    private let condition = NSCondition()

    init(_ process: Process, after timeout: Duration) {
        let pid = process.processIdentifier
        let deadline = Date(
            timeIntervalSinceNow: Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        onOwnThread { [self] in
            condition.lock()
            defer { condition.unlock() }
            while state == .running, condition.wait(until: deadline) {}
            guard state == .running else { return }
            state = .passed
            ChildProcesses.killGroup(of: pid)
        }
    }

    /// Whether the timeout passed (and the program was killed).
    var passed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state == .passed
    }

    /// The program has exited: the timer stops waiting and does nothing.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        if state == .running { state = .finished }
        condition.signal()
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class StandardErrorDrain: @unchecked Sendable {
    // Written only by the background read and read only after `done.wait()`, which orders the two.
    private var data = Data()
    private let done = DispatchGroup()

    init(_ handle: FileHandle) {
        done.enter()
        onOwnThread {
            self.data = handle.readDataToEndOfFile()
            self.done.leave()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
