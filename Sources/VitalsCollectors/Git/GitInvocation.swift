import Foundation
import VitalsCore

/// Runs git in one repository folder and turns every way that can fail into a ``CollectorError`` that names
/// the folder, the command and what git said.
struct GitInvocation: Sendable {
    let repository: URL
    let source: String

    /// Settings that keep git's output in the format the parsers read, whatever the user's configuration says.
    private static let settings = ["-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "color.ui=never"]

    func command(_ arguments: [String]) -> Command {
        Command("git", ["-C", repository.path] + Self.settings + arguments)
    }

    /// Runs `git ARGUMENTS`, streaming standard output to `standardOutput`; returns how git ended.
    func run(_ arguments: [String], standardOutput: (UnsafeRawBufferPointer) throws -> Void) throws -> CommandResult {
        do {
            return try command(arguments).run(standardOutput: standardOutput)
        } catch let error as CommandError {
            throw CollectorError(source: source, "cannot read the git repository \(repository.path): \(error)")
        } catch let error as GitLogParseError {
            throw CollectorError(source: source, "cannot read the git repository \(repository.path): \(error)")
        }
    }

    /// Runs `git ARGUMENTS` and returns its standard output, failing when git does.
    func output(_ arguments: [String]) throws -> Data {
        var data = Data()
        let result = try run(arguments) { data.append(contentsOf: $0) }
        guard result.succeeded else { throw failure(arguments, result) }
        return data
    }

    /// The error for a git command that exited with a failure status.
    func failure(_ arguments: [String], _ result: CommandResult) -> CollectorError {
        let message = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
        return CollectorError(
            source: source, "git \(arguments.first ?? "") failed in \(repository.path) (exit status \(result.status)): \(message)")
    }

    /// Whether the folder is a repository whose history is still empty (a fresh `git init`).
    func hasNoCommits() -> Bool {
        guard let refs = try? output(["rev-list", "-n", "1", "--all"]) else { return false }
        return refs.isEmpty
    }
}
