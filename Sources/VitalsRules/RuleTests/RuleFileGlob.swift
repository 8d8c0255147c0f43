import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `rule_files` entries as promtool reads them: relative to the test file's folder, with shell globs (`rules/*.yml`).
enum RuleFileGlob {
    /// The matching paths, sorted; a pattern without glob characters is returned as it is, so a missing file is reported
    /// when it is read rather than silently dropped.
    static func expand(_ pattern: String, relativeTo folder: String) -> [String] {
        let path = pattern.hasPrefix("/") ? pattern : URL(fileURLWithPath: folder).appendingPathComponent(pattern).standardized.path
        guard path.contains(where: { "*?[".contains($0) }) else { return [path] }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(path, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
