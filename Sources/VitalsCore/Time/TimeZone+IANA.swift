public import Foundation

extension TimeZone {
    /// The zone an IANA name means (`Europe/Berlin`, `Asia/Kolkata`, `Etc/GMT+5`, `UTC`, old names such as
    /// `Asia/Calcutta`), or nil when the name is not one.
    ///
    /// A name is valid when the system's tzdata has it (a TZif file under `$TZDIR` or `/usr/share/zoneinfo`) or Foundation
    /// lists it, and Foundation loads it. Foundation's `knownTimeZoneIdentifiers` alone misses canonical names and every
    /// alias of the tzdata `backward` file; `TimeZone(identifier:)` alone also takes abbreviations and offsets (`PST`,
    /// `GMT+5`, which would mean UTC+5 where `Etc/GMT+5` means UTC−5), which vitals refuses as ambiguous.
    public init?(ianaName name: String) {
        guard name == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(name) || TimeZone.tzdataHasZone(named: name),
            let zone = TimeZone(identifier: name)
        else { return nil }
        self = zone
    }

    /// Whether the system's tzdata folder holds a zone file called `name`.
    static func tzdataHasZone(named name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        // A name is letters, digits, `_`, `+`, `-` in `/`-separated parts: never a path that could leave the folder.
        guard !name.isEmpty,
            parts.allSatisfy({ part in
                !part.isEmpty && part.first != "." && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+-".contains($0)) }
            })
        else { return false }
        let folder = ProcessInfo.processInfo.environment["TZDIR"] ?? "/usr/share/zoneinfo"
        guard let file = FileHandle(forReadingAtPath: "\(folder)/\(name)") else { return false }
        defer { try? file.close() }
        return (try? file.read(upToCount: 4)) == Data("TZif".utf8)
    }
}
