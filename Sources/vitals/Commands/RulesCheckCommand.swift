import ArgumentParser
import Foundation
import VitalsCore
import VitalsRules

/// `vitals rules check`: loads and lints rule files, printing each problem at its place in the file.
struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse and lint rule files; exit 1 if any has an error.",
        discussion: """
            With no FILE, checks every .yml and .yaml file in the configured rules folder (`rules:` in vitals.yml, default \
            rules/, relative to vitals.yml).

            Reports expressions that do not parse, unknown functions, range/instant argument mix-ups, duplicate alert \
            names in a group, `for` shorter than the group interval, thresholds in the wrong order, a resolve condition \
            that overlaps the fire condition, templates that do not render, and `notify:` channels that vitals.yml \
            does not define. --store and --now are accepted, as by every command, and not used: checking reads no store.

            Examples:
              vitals rules check                               every rule file in rules/
              vitals rules check rules/stability.yml           one file
              vitals rules check --config ops/vitals.yml       the rules folder named in ops/vitals.yml
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Rule files to check (default: every rule file in the rules folder).", valueName: "file"))
    var files: [String] = []

    func run() throws {
        let (config, root, _) = try Workspace.configuration(global)
        let paths = files.isEmpty ? try RuleFolder.files(config: config, root: root) : files
        var errors = 0
        var rules = 0
        for path in paths {
            let findings: [LintFinding]
            do {
                let file = try RuleFileLoader.load(contentsOf: path)
                rules += file.groups.reduce(0) { $0 + $1.rules.count }
                findings = (RuleLinter().lint(file) + RuleTemplateCheck.findings(file) + Self.channelFindings(file, config: config)).sorted {
                    ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column)
                }
            } catch {
                findings = [LintFinding(.error, at: error.position, error.message)]
            }
            // Read as the loader reads it, so a FIFO or device named as a rule file cannot block the excerpt either.
            let source = (try? RegularFile.read(path, limit: RegularFile.definitionLimit)).map { String(decoding: $0, as: UTF8.self) }
            for finding in findings {
                print(source.map { SourceExcerpt.annotate(finding.description, at: finding.position, in: $0) } ?? finding.description)
            }
            errors += findings.count { $0.level == .error }
        }
        let counts = "\(Self.count(paths.count, "file")), \(Self.count(rules, "rule"))"
        guard errors == 0 else {
            print("\(counts): \(Self.count(errors, "error"))")
            throw ExitCode.failure
        }
        print("\(counts): ok")
    }
}

extension RulesCheckCommand {
    /// A `notify:` entry naming a channel that `channels:` in vitals.yml does not define.
    static func channelFindings(_ file: RuleFile, config: VitalsConfig) -> [LintFinding] {
        let defined = config.channels.map(\.name)
        let known = defined.isEmpty ? "vitals.yml defines no channels" : "defined channels: \(defined.joined(separator: ", "))"
        return file.groups.flatMap(\.rules).flatMap { rule in
            config.unknownChannels(rule.notify).map { name in
                LintFinding(.error, at: rule.position(of: "notify"), "'\(rule.name)' notifies '\(name)', which is not a channel; \(known)")
            }
        }
    }

    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}

/// The rule files of the configured rules folder.
enum RuleFolder {
    /// Every `.yml` and `.yaml` file in `config`'s rules folder (relative to `root`), in name order, as paths relative to the
    /// working directory when they lie inside it, so messages stay short.
    static func files(config: VitalsConfig, root: URL) throws -> [String] {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let folder = config.rulesDirectory.hasPrefix("/") ? URL(fileURLWithPath: config.rulesDirectory) : root.appendingPathComponent(config.rulesDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw CommandFailure("no rules folder at \(folder.path); create it (see docs/alerting.md) or set `rules:` in vitals.yml")
        }
        let ruleFiles = names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
        guard !ruleFiles.isEmpty else { throw CommandFailure("no .yml or .yaml rule files in \(folder.path)") }
        let shown = files(relativeTo: workingDirectory, folder)
        return ruleFiles.map { shown.appendingPathComponent($0).relativePath }
    }

    /// The folder as a path relative to the working directory when it lies inside it, so messages stay short.
    private static func files(relativeTo workingDirectory: String, _ folder: URL) -> URL {
        let base = URL(fileURLWithPath: workingDirectory).standardized.path + "/"
        let path = folder.standardized.path
        return path.hasPrefix(base) ? URL(fileURLWithPath: String(path.dropFirst(base.count)), relativeTo: URL(fileURLWithPath: base)) : folder
    }
}

/// A message followed by the source line it is about and a caret under the column, as compilers print.
///
/// A line longer than ``width`` is cut to the part around the column, marked with `…` on the cut sides, so a hostile
/// 50,000-character expression gives a readable excerpt.
enum SourceExcerpt {
    static let width = 160

    static func annotate(_ message: String, at position: SourcePosition, in source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return message }
        // Columns count Unicode scalars, as libYAML's marks do; tabs stay tabs so the caret lines up in a terminal.
        var scalars = Array(lines[position.line - 1].unicodeScalars)
        var column = position.column
        if scalars.count > width {
            let start = max(0, min(column - 1 - width / 2, scalars.count - width))
            let end = min(scalars.count, start + width)
            scalars = (start > 0 ? ["…"] : []) + Array(scalars[start..<end]) + (end < scalars.count ? ["…"] : [])
            column -= start - (start > 0 ? 1 : 0)
        }
        var line = ""
        line.unicodeScalars.append(contentsOf: scalars)
        let padding = scalars.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return "\(message)\n\(line)\n\(padding)^"
    }
}
