import Testing
import VitalsCore

@testable import VitalsScheduler

@Suite("Cron expressions")
struct CronExpressionTests {
    @Test(
        "fields accept numbers, ranges, steps, lists and names",
        arguments: [
            ("*/15 * * * *", CronField.minute, [0, 15, 30, 45]),
            ("1-5/2 * * * *", .minute, [1, 3, 5]),
            ("5/20 * * * *", .minute, [5, 25, 45]),
            ("0 9-17/4,23 * * *", .hour, [9, 13, 17, 23]),
            ("0 0 * JAN,mar-MAY/2 *", .month, [1, 3, 5]),
            ("0 0 * * MON-FRI", .dayOfWeek, [1, 2, 3, 4, 5]),
            ("0 0 * * 5-7", .dayOfWeek, [0, 5, 6]),
            ("0 0 * * sun,7", .dayOfWeek, [0]),
            ("0 0 31 * *", .dayOfMonth, [31]),
        ])
    func fields(text: String, field: CronField, expected: [Int]) throws {
        let expression = try CronExpression(parsing: text)
        let set: CronValueSet =
            switch field {
            case .minute: expression.minutes
            case .hour: expression.hours
            case .dayOfMonth: expression.daysOfMonth
            case .month: expression.months
            case .dayOfWeek: expression.daysOfWeek
            }
        #expect((0...63).filter { set.contains($0) } == expected)
    }

    @Test(
        "errors give the column and the allowed range",
        arguments: [
            ("0 24 * * *", 3, "hour 24 out of range 0-23"),
            ("60 * * * *", 1, "minute 60 out of range 0-59"),
            ("0 0 0 * *", 5, "day-of-month 0 out of range 1-31"),
            ("0 0 * 13 *", 7, "month 13 out of range 1-12"),
            ("0 0 * * 8", 9, "day-of-week 8 out of range 0-7"),
            ("0 0 * FOO *", 7, "expected a month (1-12 or JAN-DEC), found 'FOO'"),
            ("*/0 * * * *", 3, "step 0 in the minute field; a step is at least 1"),
            ("0 5-1 * * *", 3, "range 5-1 in the hour field runs backwards; the first value must not exceed the second"),
            ("0 1,,2 * * *", 5, "empty item in the hour list"),
            ("0 0 * *", 8, "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
            ("0 0 * * * *", 11, "expected 5 fields (minute hour day-of-month month day-of-week), found 6"),
            ("0 0 30 2 *", 5, "day-of-month 30 never occurs in the months this expression names"),
            ("@reboot", 1, "unknown alias @reboot (@reboot is not a time; vitals runs jobs only on a schedule); use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or five fields"),
            ("0 1-x * * *", 5, "expected a hour (0-23), found 'x'"),
        ])
    func errors(text: String, column: Int, message: String) {
        #expect(throws: CronSyntaxError(column: column, message)) { try CronExpression(parsing: text) }
    }

    @Test("aliases stand for their five fields")
    func aliases() throws {
        for (name, fields) in CronExpression.aliases {
            let alias = try CronExpression(parsing: name)
            let spelled = try CronExpression(parsing: fields)
            #expect(alias.minutes == spelled.minutes && alias.hours == spelled.hours && alias.daysOfMonth == spelled.daysOfMonth)
            #expect(alias.months == spelled.months && alias.daysOfWeek == spelled.daysOfWeek && alias.isFixedTime == spelled.isFixedTime)
        }
    }

    @Test("both day fields restricted: a day matches if either does; one starting with * makes both required")
    func dayFields() throws {
        let either = try CronExpression(parsing: "0 0 13 * FRI")
        #expect(either.matches(CivilDate(year: 2026, month: 11, day: 13)))  // a Friday the 13th
        #expect(either.matches(CivilDate(year: 2026, month: 11, day: 6)))  // a Friday
        #expect(either.matches(CivilDate(year: 2026, month: 10, day: 13)))  // a Tuesday the 13th
        #expect(!either.matches(CivilDate(year: 2026, month: 11, day: 12)))
        let both = try CronExpression(parsing: "0 0 */2 * FRI")
        #expect(both.matches(CivilDate(year: 2026, month: 11, day: 13)))
        #expect(!both.matches(CivilDate(year: 2026, month: 11, day: 6)))  // a Friday, but the 6th is not in 1,3,5,...
        #expect(!both.matches(CivilDate(year: 2026, month: 11, day: 20)))
    }
}
