public import Foundation

/// The `repo` label of the folder a local source reads, the same for every source that reads one repository.
///
/// In order of preference:
/// 1. the source's `repo` option;
/// 2. the path of the `origin` remote's URL without its host and `.git` (``name(ofRemote:)``): `owner/name` on GitHub, the
///    whole `group/subgroup/name` on a GitLab with nested groups, since that path is what names the project there;
/// 3. the name of the repository's top folder (`git rev-parse --show-toplevel`), so a source reading a subfolder
///    (`markers` with `path: Sources`) labels its samples as the rest of the repository does;
/// 4. for a folder outside any repository, the folder's own name.
public enum RepositoryName {
    /// The label of `folder`; `configured` is the source's `repo` option. Runs git at most twice, and never fails: where git
    /// cannot answer (no repository, no `origin`, no git at all), the next rule applies.
    public static func label(of folder: URL, configured: String?) -> String {
        if let configured { return configured }
        let git = GitInvocation(repository: folder, source: "repo")
        if let remote = try? git.output(["config", "--get", "remote.origin.url"]),
            let name = name(ofRemote: String(decoding: remote, as: UTF8.self))
        {
            return name
        }
        if let top = try? git.output(["rev-parse", "--show-toplevel"]) {
            return URL(fileURLWithPath: String(decoding: top, as: UTF8.self).trimmingCharacters(in: .newlines)).lastPathComponent
        }
        return folder.standardizedFileURL.lastPathComponent
    }

    /// The name a remote URL gives its repository, in the forms git accepts; nil when it gives none.
    ///
    /// - `https://host/owner/name.git`, `ssh://git@host:2222/owner/name.git`, `git://host/owner/name`: the path, without
    ///   the leading and trailing `/` and the `.git` suffix, percent-escapes decoded. User names and passwords never reach
    ///   the name: everything up to the last `@` goes with the host.
    /// - `git@host:owner/name.git` (scp-like: a `:` before any `/`): the path after the `:`, the same way.
    /// - a local path or `file://` URL (`/srv/git/name.git`, `../name`): the folder's name without `.git`.
    public static func name(ofRemote url: String) -> String? {
        let text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        if let separator = text.range(of: "://") {
            let rest = text[separator.upperBound...]
            if text[..<separator.lowerBound].lowercased() == "file" { return folderName(rest.removingPercentEncoding ?? String(rest)) }
            let beforeQuery = rest.prefix { $0 != "?" && $0 != "#" }
            let afterUser = beforeQuery.lastIndex(of: "@").map { beforeQuery[beforeQuery.index(after: $0)...] } ?? beforeQuery
            guard let pathStart = afterUser.firstIndex(of: "/") else { return nil }
            return path(afterUser[pathStart...])
        }
        if let colon = text.firstIndex(of: ":"), colon != text.startIndex, !text[..<colon].contains("/") {
            return path(text[text.index(after: colon)...])
        }
        return folderName(text)
    }

    /// A URL's path as a name: `owner/name` from `/owner/name.git/`.
    private static func path(_ text: Substring) -> String? {
        var parts = text.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        if let last = parts.last {
            parts[parts.count - 1] = withoutGitSuffix(last)
            if parts[parts.count - 1].isEmpty { parts.removeLast() }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// A folder's name from its path, without `.git`: `name` from `/srv/name.git` and from `/work/name/.git`.
    private static func folderName(_ path: String) -> String? {
        var parts = path.split(separator: "/").map(String.init)
        if parts.last == ".git" { parts.removeLast() }
        guard let last = parts.last.map(withoutGitSuffix), !last.isEmpty, last != ".", last != ".." else { return nil }
        return last
    }

    private static func withoutGitSuffix(_ name: String) -> String {
        name.hasSuffix(".git") ? String(name.dropLast(4)) : name
    }
}
