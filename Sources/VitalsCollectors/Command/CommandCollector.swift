public import Foundation
public import VitalsCore

/// Runs a program and reads its standard output as samples (``CommandOutput``).
///
/// A non-zero exit, a timeout (the program and its process group are killed) or an output that cannot be read fails the
/// source, with the first lines of standard error. Messages name the program only, never its arguments, and any value of a
/// secret-bearing environment variable (`*_TOKEN`, `*_KEY`, …) is masked in them.
public struct CommandCollector: Collector {
    public let source: String
    /// The program and its arguments; with `shell`, the script `/bin/sh -c` runs and, after it, `$0`, `$1`, ….
    public let argv: [String]
    public let shell: Bool
    public let timeout: Duration
    /// The name of the metric a bare-number output is.
    public let metric: String?
    public let interval: TimeSpan
    /// The environment the program runs in; the values of its secret-bearing variables are masked in messages.
    public let environment: [String: String]

    /// The lines of standard error a failure quotes.
    static let quotedLines = 5

    public var family: MetricFamily { .quality }
    public var metrics: [String] { [] }

    public init(
        source: String, argv: [String], shell: Bool = false, timeout: Duration = .seconds(30), metric: String? = nil,
        interval: TimeSpan = .hours(1), environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.source = source
        self.argv = argv
        self.shell = shell
        self.timeout = timeout
        self.metric = metric
        self.interval = interval
        self.environment = environment
    }

    var command: Command {
        shell
            ? Command("/bin/sh", ["-c"] + argv, environment: environment)
            : Command(argv.first ?? "", Array(argv.dropFirst()), environment: environment)
    }

    /// How messages name the program.
    var program: String { shell ? "the shell command" : "'\(argv.first ?? "")'" }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        let command = command
        let timeout = timeout
        let result: CommandResult
        let output: Data
        do {
            (result, output) = try await runBlocking { try command.output(timeout: timeout) }
        } catch let error as CommandError {
            throw CollectorError(source: source, masked("cannot run \(program): \(error.reason)"))
        }
        if result.timedOut {
            throw failure("\(program) did not finish within \(Self.seconds(timeout)) s and was killed", result)
        }
        guard result.succeeded else { throw failure("\(program) exited with status \(result.status)", result) }
        do {
            return try CommandOutput.samples(String(decoding: output, as: UTF8.self), metric: metric, now: request.now)
        } catch {
            throw failure("\(program) printed output that cannot be read: \(error.description)", result)
        }
    }

    private func failure(_ message: String, _ result: CommandResult) -> CollectorError {
        let lines = result.standardError.split(whereSeparator: \.isNewline).prefix(Self.quotedLines).map { String($0.prefix(300)) }
        let quoted = lines.isEmpty ? "" : "; standard error: " + lines.joined(separator: " | ")
        return CollectorError(source: source, masked(message + quoted))
    }

    /// `text` with the values of secret-bearing environment variables masked.
    func masked(_ text: String) -> String {
        environment.filter { TokenEnvironment.isSecretBearing($0.key) && $0.value.count >= 4 }.map(\.value).sorted { $0.count > $1.count }
            .reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : String(format: "%.3g", Double(milliseconds) / 1000)
    }
}
