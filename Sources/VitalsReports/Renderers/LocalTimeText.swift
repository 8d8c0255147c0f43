import Foundation
import VitalsCore

/// Times and periods as a reader in the report's time zone reads them: `2026-11-25 09:00`, `2026-11-19 – 2026-11-25`.
struct LocalTimeText {
    let calendar: Calendar
    let days: LocalDays

    init(timeZone: TimeZone) {
        calendar = Calendar.gregorian(in: timeZone)
        days = LocalDays(timeZone)
    }

    func date(_ timestamp: Timestamp) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: timestamp.date)
        return "\(pad(parts.year!, 4))-\(pad(parts.month!, 2))-\(pad(parts.day!, 2))"
    }

    func time(_ timestamp: Timestamp) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: timestamp.date)
        return "\(date(timestamp)) \(pad(parts.hour!, 2)):\(pad(parts.minute!, 2))"
    }

    /// A day-aligned period as its first and last day (inclusive); any other period as its two instants.
    func period(_ period: Period) -> String {
        let aligned = [period.from, period.to].allSatisfy(days.isStart)
        guard aligned, period.from < period.to else { return "\(time(period.from)) – \(time(period.to))" }
        let lastDay = days.previousStart(before: period.to)
        return lastDay == period.from ? date(period.from) : "\(date(period.from)) – \(date(lastDay))"
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
