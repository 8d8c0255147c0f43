public import Foundation

extension RFC3339 {
    /// Formats an instant as the wall time of `timeZone` with its UTC offset: `2026-11-25T08:00:00+01:00`
    /// (`+00:00` in UTC). Milliseconds appear only when they are not zero; an offset with seconds (local mean time
    /// before 1900 in some zones) prints them as `+00:17:30`.
    public static func format(_ timestamp: Timestamp, in timeZone: TimeZone) -> String {
        let seconds = timestamp.milliseconds >= 0 ? timestamp.milliseconds / 1000 : (timestamp.milliseconds - 999) / 1000
        let millisecond = Int(timestamp.milliseconds - seconds * 1000)
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        let wall = seconds + Int64(offset)
        let days = wall >= 0 ? wall / 86_400 : (wall - 86_399) / 86_400
        let secondOfDay = Int(wall - days * 86_400)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = millisecond == 0 ? "" : "." + String(String(millisecond + 1000).dropFirst())
        let magnitude = abs(offset)
        let offsetSeconds = magnitude % 60 == 0 ? "" : ":\(pad(magnitude % 60))"
        let zone = "\(offset < 0 ? "-" : "+")\(pad(magnitude / 3600)):\(pad(magnitude % 3600 / 60))\(offsetSeconds)"
        let time = "\(pad(secondOfDay / 3600)):\(pad(secondOfDay % 3600 / 60)):\(pad(secondOfDay % 60))"
        return "\(CivilDate(daysSinceEpoch: Int(days)))T\(time)\(fraction)\(zone)"
    }
}
