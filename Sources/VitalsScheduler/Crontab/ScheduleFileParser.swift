public import Foundation
public import VitalsCore

/// Reads a schedule file: comments (`#`), blank lines, `CRON_TZ=Zone` lines, and job lines of five cron fields (or an
/// alias), optional `key=value` options, then a vitals subcommand with its arguments.
///
/// Arguments split at blanks; single quotes keep text as it is and double quotes allow `\"` and `\\`, as in a shell,
/// with no variables and no `%` newlines. Every problem is an error when the file is read, positioned at its column.
public struct ScheduleFileParser: Sendable {
    /// Checks a job's command (`["collect", "stability"]`) and returns what is wrong with it, or nil; the CLI parses it
    /// with the real command line, so an unknown subcommand or option fails when the file loads, not at 08:00.
    public typealias CommandCheck = @Sendable ([String]) -> String?

    public let defaultTimeZone: TimeZone
    public let checkCommand: CommandCheck

    public init(defaultTimeZone: TimeZone, checkCommand: @escaping CommandCheck = { _ in nil }) {
        self.defaultTimeZone = defaultTimeZone
        self.checkCommand = checkCommand
    }

    /// The options a job line accepts.
    public static let optionNames = ["timeout", "catchup"]

    /// Reads the file at `path` (named in messages as given).
    public func load(contentsOf path: String) throws(ScheduleFileError) -> ScheduleFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScheduleFileError(file: path, line: 1, column: 1, "cannot read the schedule file (it does not exist or is not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScheduleFileError(file: path, line: 1, column: 1, "the schedule file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses schedule text; `file` names it in messages.
    public func parse(_ text: String, file: String) throws(ScheduleFileError) -> ScheduleFile {
        var zone = defaultTimeZone
        var jobs: [ScheduledJob] = []
        var seen: [ScheduledJob.Identity: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            func error(_ column: Int, _ message: String) -> ScheduleFileError {
                ScheduleFileError(file: file, line: number, column: column, message)
            }
            let words: [CronExpression.Word]
            do {
                words = try Self.words(of: line)
            } catch let problem {
                throw error(problem.column, problem.message)
            }
            guard let first = words.first, !first.text.hasPrefix("#") else { continue }
            if let equals = first.text.firstIndex(of: "="), !first.text.hasPrefix("@"), first.text.first.map({ !$0.isNumber && $0 != "*" }) ?? false {
                zone = try timeZone(assignment: line, words: words, equals: equals, error: error)
                continue
            }
            let fieldCount = first.text.hasPrefix("@") ? 1 : 5
            guard words.count > fieldCount else {
                let column = words.count < fieldCount ? (words.last.map { $0.column + $0.text.unicodeScalars.count } ?? 1) : line.unicodeScalars.count + 1
                throw error(
                    column,
                    words.count < fieldCount
                        ? "expected 5 cron fields (minute hour day-of-month month day-of-week) and a command, found \(words.count) words"
                        : "no command after the schedule; write a vitals subcommand, e.g. `collect` or `report --since 7d`")
            }
            let last = words[fieldCount - 1]
            let expressionText = String(String.UnicodeScalarView(line.unicodeScalars.prefix(last.column - 1 + last.text.unicodeScalars.count)))
            let expression: CronExpression
            do {
                expression = try CronExpression(parsing: expressionText)
            } catch let problem {
                throw error(problem.column, problem.message)
            }
            var rest = words.dropFirst(fieldCount)
            var options = JobOptions()
            while let word = rest.first, let equals = word.text.firstIndex(of: "=") {
                try apply(option: word, equals: equals, to: &options, error: error)
                rest = rest.dropFirst()
            }
            guard let command = rest.first else {
                throw error(line.unicodeScalars.count + 1, "no command after the options; write a vitals subcommand, e.g. `collect`")
            }
            if command.text == "vitals" {
                throw error(command.column, "write the subcommand without the `vitals` prefix (e.g. `collect`, not `vitals collect`)")
            }
            let arguments = rest.map(\.text)
            if let problem = checkCommand(arguments) { throw error(command.column, problem) }
            let job = ScheduledJob(schedule: CronSchedule(expression, timeZone: zone), arguments: arguments, options: options, line: number)
            if let earlier = seen[job.identity] { throw error(first.column, "the same job as line \(earlier); remove one of them") }
            seen[job.identity] = number
            jobs.append(job)
        }
        return ScheduleFile(path: file, jobs: jobs)
    }

    private func timeZone(
        assignment line: String, words: [CronExpression.Word], equals: String.Index, error: (Int, String) -> ScheduleFileError
    ) throws(ScheduleFileError) -> TimeZone {
        let first = words[0]
        let name = String(first.text[..<equals])
        guard name == "CRON_TZ" else {
            throw error(first.column, "only CRON_TZ=Zone may be set in a schedule file; '\(name)' is not supported (jobs run inside vitals, not a shell)")
        }
        let value = String(first.text[first.text.index(after: equals)...])
        let valueColumn = first.column + name.unicodeScalars.count + 1
        guard words.count == 1 else { throw error(words[1].column, "CRON_TZ takes one zone name, such as Europe/Berlin") }
        guard !value.isEmpty else { throw error(valueColumn, "CRON_TZ needs a zone name, such as Europe/Berlin or UTC") }
        guard let zone = TimeZone(identifier: value) else {
            let hint = Suggestion.hint(for: value, in: TimeZone.knownTimeZoneIdentifiers)
            throw error(valueColumn, "unknown time zone '\(value)'\(hint); use a tz database name such as Europe/Berlin or UTC")
        }
        return zone
    }

    private func apply(
        option word: CronExpression.Word, equals: String.Index, to options: inout JobOptions, error: (Int, String) -> ScheduleFileError
    ) throws(ScheduleFileError) {
        let key = String(word.text[..<equals])
        let value = String(word.text[word.text.index(after: equals)...])
        let valueColumn = word.column + key.unicodeScalars.count + 1
        guard Self.optionNames.contains(key) else {
            throw error(
                word.column, "unknown option '\(key)'\(Suggestion.hint(for: key, in: Self.optionNames)); options are \(Self.optionNames.joined(separator: ", "))")
        }
        if key == "catchup", value == "off" {
            options.catchUp = TimeSpan(milliseconds: 0)
            return
        }
        let span: TimeSpan
        do {
            span = try TimeSpan(parsing: value)
        } catch let problem {
            throw error(valueColumn, "\(key): \(problem.reason)")
        }
        switch key {
        case "timeout":
            guard span.milliseconds > 0 else { throw error(valueColumn, "timeout must be longer than zero") }
            options.timeout = span
        default:
            options.catchUp = span
        }
    }

    /// The words of a line, blank-separated, with quotes removed; a `#` at the start of a word begins a comment.
    static func words(of line: String) throws(CronSyntaxError) -> [CronExpression.Word] {
        var words: [CronExpression.Word] = []
        var current: String?
        var start = 0
        var quote: Unicode.Scalar?
        var quoteColumn = 0
        var escaped = false
        for (index, scalar) in line.unicodeScalars.enumerated() {
            if let open = quote {
                if escaped {
                    current!.unicodeScalars.append(scalar)
                    escaped = false
                } else if open == "\"" && scalar == "\\" {
                    escaped = true
                } else if scalar == open {
                    quote = nil
                } else {
                    current!.unicodeScalars.append(scalar)
                }
                continue
            }
            if scalar == " " || scalar == "\t" {
                if let word = current { words.append(.init(text: word, column: start + 1)) }
                current = nil
                continue
            }
            if current == nil {
                if scalar == "#" { break }
                current = ""
                start = index
            }
            if scalar == "'" || scalar == "\"" {
                quote = scalar
                quoteColumn = index + 1
            } else {
                current!.unicodeScalars.append(scalar)
            }
        }
        if quote != nil { throw CronSyntaxError(column: quoteColumn, "this quote is never closed") }
        if let word = current { words.append(.init(text: word, column: start + 1)) }
        return words
    }

    /// An argument as it would be written in the file: quoted when it holds a blank, a quote or nothing.
    static func quotedIfNeeded(_ argument: String) -> String {
        guard argument.isEmpty || argument.contains(where: { " \t'\"#\\".contains($0) }) else { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }
}
