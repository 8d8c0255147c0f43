public import Foundation

extension HTTPResponse {
    /// How long a 429 or 503 asks to wait before trying again (`Retry-After` in seconds or as an HTTP date, counted from
    /// `now`); nil for other statuses and for a missing or unreadable header.
    public func retryAfter(now: Date) -> Duration? {
        guard status == 429 || status == 503, let value = headers["Retry-After"] else { return nil }
        if let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int64((date.timeIntervalSince(now) * 1000).rounded(.up))))
    }
}
