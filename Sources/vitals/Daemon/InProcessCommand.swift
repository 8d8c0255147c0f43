import ArgumentParser
import Foundation

/// A scheduled job's command run inside the daemon: the line's arguments parsed with vitals' own command line
/// (`Vitals.parseAsRoot`) and run, as `vitals ARGUMENTS` would run them, without starting a process.
struct InProcessCommand: Sendable {
    let arguments: [String]

    /// The job's arguments with the daemon's `--config` and `--store` added when the command takes them and the line does
    /// not set them itself, so a job reads the daemon's configuration and store.
    init(_ arguments: [String], global: GlobalOptions) {
        let inherited = [("--config", global.config), ("--store", global.store)].compactMap { option, value in
            value.flatMap { arguments.contains(option) ? nil : [option, $0] }
        }.flatMap { $0 }
        let withGlobals = arguments + inherited
        self.arguments = (try? Vitals.parseAsRoot(withGlobals)) != nil ? withGlobals : arguments
    }

    func run() async throws {
        let command: any ParsableCommand
        do {
            command = try Vitals.parseAsRoot(arguments)
        } catch {
            throw JobFailure(message: Vitals.message(for: error))
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try await Self.onOwnThread(command)
            }
        } catch let error as any UserFacingError {
            throw JobFailure(message: error.userMessage)
        } catch let error as JobFailure {
            throw error
        } catch {
            throw JobFailure(message: Vitals.message(for: error))
        }
    }

    /// A synchronous command blocks while it works (reads, writes, child processes): it runs on a thread of its own, so
    /// the cooperative pool (two threads on a two-core machine) stays free for the scheduler and the other services.
    private static func onOwnThread(_ command: any ParsableCommand) async throws {
        let box = CommandBox(command)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try box.command.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.start()
        }
    }

    /// A parsed command handed to the thread that runs it; only that thread touches it afterwards.
    private final class CommandBox: @unchecked Sendable {
        var command: any ParsableCommand

        init(_ command: any ParsableCommand) {
            self.command = command
        }
    }
}

/// Why a job's command failed, in the words the command would have printed.
struct JobFailure: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}
