public import Foundation

/// One link of an RFC 8288 `Link` header: `<https://api.github.com/...?page=2>; rel="next"`.
public struct WebLink: Sendable, Equatable {
    public let target: String
    /// The link's relation types (`rel` may name several, separated by spaces), lowercased.
    public let relations: [String]
    /// Every parameter, names lowercased, quotes removed (`results` for Sentry's cursor links).
    public let parameters: [String: String]

    /// Parses every link of a `Link` header value; a malformed link is skipped, not fatal.
    public static func parse(_ header: String) -> [WebLink] {
        var links: [WebLink] = []
        var rest = Substring(header)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { break }
            let target = String(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            var parameters: [String: String] = [:]
            // Parameters run to the next comma outside quotes.
            while let first = rest.first(where: { !$0.isWhitespace }), first == ";" {
                rest = rest.drop { $0.isWhitespace }.dropFirst()
                let name = rest.prefix { $0 != "=" && $0 != ";" && $0 != "," }.trimmingCharacters(in: .whitespaces).lowercased()
                rest = rest.dropFirst(rest.prefix { $0 != "=" && $0 != ";" && $0 != "," }.count)
                var value = ""
                if rest.first == "=" {
                    rest = rest.dropFirst().drop { $0.isWhitespace }
                    if rest.first == "\"" {
                        rest = rest.dropFirst()
                        var escaped = false
                        while let character = rest.first {
                            rest = rest.dropFirst()
                            if escaped {
                                value.append(character)
                                escaped = false
                            } else if character == "\\" {
                                escaped = true
                            } else if character == "\"" {
                                break
                            } else {
                                value.append(character)
                            }
                        }
                    } else {
                        value = rest.prefix { $0 != ";" && $0 != "," }.trimmingCharacters(in: .whitespaces)
                        rest = rest.dropFirst(rest.prefix { $0 != ";" && $0 != "," }.count)
                    }
                }
                if !name.isEmpty, parameters[name] == nil { parameters[name] = value }
            }
            let relations = (parameters["rel"] ?? "").lowercased().split(separator: " ").map(String.init)
            links.append(WebLink(target: target, relations: relations, parameters: parameters))
            rest = rest.drop { $0 != "<" }
        }
        return links
    }

    /// The URL of the `rel="next"` link of a response, resolved against the request's URL; nil on the last page, and
    /// when the link says `results="false"` (Sentry's cursor links always carry a next link, with that flag at the end).
    public static func nextPage(of response: HTTPResponse, requested url: URL) -> URL? {
        let links = response.headers.values(of: "Link").flatMap(parse)
        guard let next = links.first(where: { $0.relations.contains("next") }), next.parameters["results"]?.lowercased() != "false" else {
            return nil
        }
        return URL(string: next.target, relativeTo: url)?.absoluteURL
    }
}
