import Foundation

/// Runs the built `vitals` executable as a user would, capturing what it prints and how it exits.
struct VitalsProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `vitals` binary SwiftPM built beside the test bundle.
    static let binary: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("vitals").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("vitals")
    }()

    /// The host's PATH, which `run` passes on unless `environment` sets its own.
    static let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"

    /// Runs `vitals ARGUMENTS` (or another `executable` that runs it) in `directory` with only `environment` (plus PATH and a
    /// fixed TZ), so the host's settings never leak in.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:], executable: URL = binary) throws -> Result {
        let output = Pipe()
        let errors = Pipe()
        let process = try start(
            arguments, in: directory, environment: environment, executable: executable, standardOutput: output, standardError: errors)
        // Read both pipes before waiting, so a large output cannot fill a pipe and stall the child.
        let errorData = ErrorReader(errors.fileHandleForReading)
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: errorData.text())
    }

    /// Starts `vitals ARGUMENTS` as `run` does and returns it running, for tests that signal it.
    static func start(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], executable: URL = binary,
        standardOutput: Any = FileHandle.nullDevice, standardError: Any = FileHandle.nullDevice
    ) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ["PATH": path, "TZ": "UTC", "HOME": directory.path].merging(environment) { _, new in new }
        process.standardOutput = standardOutput
        process.standardError = standardError
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// Drains a pipe on another thread while the caller drains the other one.
private final class ErrorReader: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
