import Foundation
import Testing
import VitalsHTTP

@Suite("RFC 8288 Link headers")
struct WebLinkTests {
    @Test("GitHub's pagination links")
    func github() {
        let header =
            #"<https://api.github.com/repositories/1/pulls?state=all&page=2>; rel="next", <https://api.github.com/repositories/1/pulls?state=all&page=5>; rel="last""#
        let links = WebLink.parse(header)
        #expect(links.map(\.target) == ["https://api.github.com/repositories/1/pulls?state=all&page=2", "https://api.github.com/repositories/1/pulls?state=all&page=5"])
        #expect(links.map(\.relations) == [["next"], ["last"]])
    }

    @Test("Sentry's cursor links: a next link with results=\"false\" is the last page")
    func sentry() throws {
        let header =
            #"<https://sentry.io/api/0/projects/o/p/issues/?&cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", <https://sentry.io/api/0/projects/o/p/issues/?&cursor=0:100:0>; rel="next"; results="true"; cursor="0:100:0""#
        let url = URL(string: "https://sentry.io/api/0/projects/o/p/issues/")!
        let more = HTTPResponse(status: 200, headers: ["Link": header])
        #expect(WebLink.nextPage(of: more, requested: url)?.absoluteString == "https://sentry.io/api/0/projects/o/p/issues/?&cursor=0:100:0")
        let last = HTTPResponse(status: 200, headers: ["Link": header.replacingOccurrences(of: #"results="true""#, with: #"results="false""#)])
        #expect(WebLink.nextPage(of: last, requested: url) == nil)
        #expect(WebLink.parse(header)[1].parameters["cursor"] == "0:100:0")
    }

    @Test("relative targets, several relations, unquoted values, quoted commas and junk")
    func edges() {
        let links = WebLink.parse(#"</page/3>; rel="next last"; title="a, b; c", <x>; rel=prev, garbage, <y>"#)
        #expect(links.map(\.target) == ["/page/3", "x", "y"])
        #expect(links[0].relations == ["next", "last"])
        #expect(links[0].parameters["title"] == "a, b; c")
        #expect(links[1].relations == ["prev"])
        #expect(links[2].relations.isEmpty)
        let response = HTTPResponse(status: 200, headers: ["Link": "</page/3>; rel=next"])
        #expect(WebLink.nextPage(of: response, requested: URL(string: "https://h.example/page/2?x=1")!)?.absoluteString == "https://h.example/page/3")
        #expect(WebLink.nextPage(of: HTTPResponse(status: 200), requested: URL(string: "https://h.example")!) == nil)
    }
}
