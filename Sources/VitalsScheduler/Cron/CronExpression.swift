import VitalsCore

/// A standard five-field cron expression (`minute hour day-of-month month day-of-week`) or an `@daily`-style alias.
///
/// Fields take numbers, `*`, ranges (`1-5`), steps (`*/15`, `1-5/2`, `5/15` for 5 to the end), lists (`1,15,30`),
/// month and weekday names (`JAN`, `MON-FRI`, any case) and `7` for Sunday. When both day fields are restricted
/// (neither begins with `*`), a day matches if either matches; otherwise both must (Vixie cron's rule).
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// The expression as written.
    public let text: String
    let minutes: CronValueSet
    let hours: CronValueSet
    let daysOfMonth: CronValueSet
    let months: CronValueSet
    /// 0–6 for Sunday–Saturday; a written 7 is stored as 0.
    let daysOfWeek: CronValueSet
    /// Whether a day must match both day fields (either begins with `*`) rather than either of them.
    let daysMustMatchBoth: Bool
    /// Whether neither the minute nor the hour field begins with `*`: a job at fixed times of day. Debian cron and the
    /// cron libraries that follow it run such a job once at the end of a spring-forward gap and once in a repeated hour;
    /// jobs that run more often follow real time (see ``CronSchedule``).
    public let isFixedTime: Bool

    /// The aliases accepted in place of five fields, with what they stand for.
    public static let aliases: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"), ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]

    public var description: String { text }

    /// Two expressions are equal when they run at the same times (`@daily` and `0 0 * * *`), however written.
    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        (lhs.minutes, lhs.hours, lhs.daysOfMonth, lhs.months, lhs.daysOfWeek) == (rhs.minutes, rhs.hours, rhs.daysOfMonth, rhs.months, rhs.daysOfWeek)
            && lhs.daysMustMatchBoth == rhs.daysMustMatchBoth && lhs.isFixedTime == rhs.isFixedTime
    }

    public func hash(into hasher: inout Hasher) {
        for set in [minutes, hours, daysOfMonth, months, daysOfWeek] { hasher.combine(set) }
        hasher.combine(daysMustMatchBoth)
        hasher.combine(isFixedTime)
    }

    /// Parses an expression; the error gives the column of the part that is wrong and what the field allows.
    public init(parsing text: String) throws(CronSyntaxError) {
        self.text = text
        let words = Self.words(of: text)
        var fields = words
        if let first = words.first, first.text.hasPrefix("@") {
            guard words.count == 1 else {
                throw CronSyntaxError(column: words[1].column, "\(first.text) stands alone; write either an alias or five fields")
            }
            guard let alias = Self.aliases.first(where: { $0.name == first.text.lowercased() }) else {
                let names = Self.aliases.map(\.name).joined(separator: ", ")
                let reboot = first.text.lowercased() == "@reboot" ? " (@reboot is not a time; vitals runs jobs only on a schedule)" : ""
                throw CronSyntaxError(column: first.column, "unknown alias \(first.text)\(reboot); use one of \(names) or five fields")
            }
            fields = Self.words(of: alias.fields).map { Word(text: $0.text, column: first.column) }
        }
        guard fields.count == 5 else {
            let column = fields.count > 5 ? fields[5].column : (fields.last.map { $0.column + $0.text.unicodeScalars.count } ?? 1)
            throw CronSyntaxError(
                column: column, "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try Self.parse(fields[0], as: .minute)
        hours = try Self.parse(fields[1], as: .hour)
        daysOfMonth = try Self.parse(fields[2], as: .dayOfMonth)
        months = try Self.parse(fields[3], as: .month)
        let weekdays = try Self.parse(fields[4], as: .dayOfWeek)
        daysOfWeek = weekdays.contains(7) ? CronValueSet((0...6).filter { weekdays.contains($0) } + [0]) : weekdays
        daysMustMatchBoth = fields[2].text.hasPrefix("*") || fields[4].text.hasPrefix("*")
        isFixedTime = !fields[0].text.hasPrefix("*") && !fields[1].text.hasPrefix("*")
        if daysMustMatchBoth, let firstDay = daysOfMonth.min,
            let longest = (1...12).filter({ months.contains($0) }).map({ CivilDate.daysIn(month: $0, year: 2000) }).max(), firstDay > longest
        {
            throw CronSyntaxError(column: fields[2].column, "day-of-month \(firstDay) never occurs in the months this expression names")
        }
    }

    /// Whether the expression's day fields match `date`.
    func matches(_ date: CivilDate) -> Bool {
        guard months.contains(date.month) else { return false }
        let dayOfMonth = daysOfMonth.contains(date.day)
        let dayOfWeek = daysOfWeek.contains(date.weekday)
        return daysMustMatchBoth ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek
    }

    struct Word {
        let text: String
        /// 1-based, in Unicode scalars.
        let column: Int
    }

    /// The blank-separated words of `text`, with their columns.
    static func words(of text: String) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = 0
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if scalar == " " || scalar == "\t" {
                if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
                current = ""
            } else {
                if current.isEmpty { start = index }
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
        return words
    }

    /// One field: a comma-separated list of `*`, `N`, `N-M`, each optionally with `/STEP`.
    static func parse(_ word: Word, as field: CronField) throws(CronSyntaxError) -> CronValueSet {
        var values = CronValueSet()
        var column = word.column
        for item in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw CronSyntaxError(column: column, "empty item in the \(field) list") }
            values.formUnion(try parseItem(item, at: column, as: field))
            column += item.unicodeScalars.count + 1
        }
        return values
    }

    private static func parseItem(_ item: Substring, at column: Int, as field: CronField) throws(CronSyntaxError) -> CronValueSet {
        let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0]
        var step = 1
        if parts.count == 2 {
            let stepColumn = column + base.unicodeScalars.count + 1
            guard let number = Int(parts[1]), parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber) else {
                throw CronSyntaxError(column: stepColumn, "step '\(parts[1])' in the \(field) field is not a whole number")
            }
            guard number >= 1 else { throw CronSyntaxError(column: stepColumn, "step 0 in the \(field) field; a step is at least 1") }
            step = number
        }
        let range: ClosedRange<Int>
        if base == "*" {
            range = field.range
        } else {
            let bounds = base.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            let low = try value(bounds[0], at: column, as: field)
            if bounds.count == 2 {
                let high = try value(bounds[1], at: column + bounds[0].unicodeScalars.count + 1, as: field)
                guard low <= high else {
                    throw CronSyntaxError(column: column, "range \(base) in the \(field) field runs backwards; the first value must not exceed the second")
                }
                range = low...high
            } else {
                // `5/15` means from 5 to the end of the field's range in steps of 15.
                range = parts.count == 2 ? low...field.range.upperBound : low...low
            }
        }
        return CronValueSet(stride(from: range.lowerBound, through: range.upperBound, by: step))
    }

    private static func value(_ text: Substring, at column: Int, as field: CronField) throws(CronSyntaxError) -> Int {
        if let named = field.names[text.uppercased()] { return named }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            let names = field == .month ? " or JAN-DEC" : field == .dayOfWeek ? " or SUN-SAT" : ""
            let shown = text.isEmpty ? "nothing" : "'\(text)'"
            throw CronSyntaxError(column: column, "expected a \(field) (\(field.range.lowerBound)-\(field.range.upperBound)\(names)), found \(shown)")
        }
        guard let number = Int(text), field.range.contains(number) else {
            throw CronSyntaxError(column: column, "\(field) \(text) out of range \(field.range.lowerBound)-\(field.range.upperBound)")
        }
        return number
    }
}
