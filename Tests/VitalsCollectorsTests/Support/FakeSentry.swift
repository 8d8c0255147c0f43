import Foundation
import VitalsTestSupport

/// Sentry's API as its documentation and source describe it, for organization `o` and project `shop` (id `4505`): the
/// project details, the organization sessions endpoint (`groups` with `by`, `totals` and `series` aligned with
/// `intervals`; rates not groupable by `session.status`), `stats_v2` grouped by outcome, and the project's issues in pages
/// of two with cursor `Link`s (`rel="next"; results="true"`, `results="false"` on the last page, counts as strings), and
/// `X-Sentry-Rate-Limit-*` headers on every answer.
enum FakeSentry {
    static let intervals = ["2026-03-05T00:00:00Z", "2026-03-06T00:00:00Z", "2026-03-07T00:00:00Z"]

    static func issue(_ id: Int, firstSeen: String) -> [String: Any] {
        [
            "id": "\(id)", "shortId": "SHOP-\(id)", "title": "TypeError", "status": "unresolved", "count": "150", "userCount": 3,
            "firstSeen": firstSeen, "lastSeen": "2026-03-07T11:30:00.123456Z", "level": "error",
        ]
    }

    static func make() throws -> FakeAPI {
        let sentry = try FakeAPI(headers: [
            ("X-Sentry-Rate-Limit-Limit", "40"), ("X-Sentry-Rate-Limit-Remaining", "39"), ("X-Sentry-Rate-Limit-Reset", "1772884830"),
            ("X-Sentry-Rate-Limit-ConcurrentLimit", "25"), ("X-Sentry-Rate-Limit-ConcurrentRemaining", "24"),
        ])
        sentry.json("/api/0/projects/o/shop/", ["id": "4505", "slug": "shop", "name": "Shop", "platform": "python"])
        let statuses: [(String, [Any])] = [
            ("healthy", [90, 0, 44]), ("errored", [6, 0, "3"]), ("crashed", [3, 0, 1]), ("abnormal", [1, 0, 1]), ("unhandled", [0, 0, 1]),
        ]
        let grouped: [String: Any] = [
            "start": "2026-03-05T00:00:00Z", "end": "2026-03-08T00:00:00Z", "query": "", "intervals": intervals,
            "groups": statuses.map { status, series in
                ["by": ["session.status": status], "totals": ["sum(session)": 0], "series": ["sum(session)": series]] as [String: Any]
            },
        ]
        let rates: [String: Any] = [
            "start": "2026-03-05T00:00:00Z", "end": "2026-03-08T00:00:00Z", "query": "", "intervals": intervals,
            "groups": [
                [
                    "by": [:] as [String: Any], "totals": ["crash_free_rate(session)": 0.973, "crash_free_rate(user)": 0.9],
                    "series": ["crash_free_rate(session)": [0.97, NSNull(), 0.98], "crash_free_rate(user)": [0.95, NSNull(), 0.8]],
                ] as [String: Any]
            ],
        ]
        let groupedBody = try JSONSerialization.data(withJSONObject: grouped)
        let ratesBody = try JSONSerialization.data(withJSONObject: rates)
        sentry.handle("/api/0/organizations/o/sessions/") { request, _ in
            let fields = FakeAPI.query(request).filter { $0.name == "field" }.compactMap(\.value)
            let groupBy = FakeAPI.query(request).first { $0.name == "groupBy" }?.value
            if groupBy == "session.status", fields.contains(where: { $0.hasPrefix("crash_free_rate") }) {
                return FakeAPI.Response(status: 400, text: #"{"detail":"Cannot group field crash_free_rate(session) by session.status"}"#)
            }
            return FakeAPI.Response(headers: [("Content-Type", "application/json")], body: groupBy == "session.status" ? groupedBody : ratesBody)
        }
        sentry.json(
            "/api/0/organizations/o/stats_v2/",
            [
                "start": "2026-03-05T00:00:00Z", "end": "2026-03-08T00:00:00Z", "intervals": intervals,
                "groups": [
                    ["by": ["outcome": "accepted"], "totals": ["sum(quantity)": 17], "series": ["sum(quantity)": [10, 0, 7]]],
                    ["by": ["outcome": "filtered"], "totals": ["sum(quantity)": 15], "series": ["sum(quantity)": [5, 5, 5]]],
                ],
            ])
        nonisolated(unsafe) let unresolved = [
            issue(1, firstSeen: "2026-01-10T08:00:00Z"), issue(2, firstSeen: "2026-03-05T10:00:00Z"), issue(3, firstSeen: "2026-03-07T09:00:00.5Z"),
        ]
        nonisolated(unsafe) let new = [
            issue(2, firstSeen: "2026-03-05T10:00:00Z"), issue(3, firstSeen: "2026-03-07T09:00:00.5Z"), issue(4, firstSeen: "2026-03-07T11:00:00Z"),
        ]
        sentry.handle("/api/0/projects/o/shop/issues/") { request, base in
            let query = FakeAPI.query(request)
            let items = query.first { $0.name == "query" }?.value == "is:unresolved" ? unresolved : new
            return page(items, request: request, base: base)
        }
        return sentry
    }

    /// One page of two items from the `cursor` (`0:OFFSET:0`), with Sentry's previous and next links.
    static func page(_ items: [[String: Any]], request: FakeAPI.Request, base: URL) -> FakeAPI.Response {
        let query = FakeAPI.query(request)
        let offset = query.first { $0.name == "cursor" }?.value.flatMap { Int($0.split(separator: ":")[1]) } ?? 0
        let slice = Array(items.dropFirst(offset).prefix(2))
        func link(_ cursor: String, _ rel: String, _ results: Bool) -> String {
            var components = URLComponents(url: base.appendingPathComponent(request.path), resolvingAgainstBaseURL: false)!
            components.queryItems = query.filter { $0.name != "cursor" } + [URLQueryItem(name: "cursor", value: cursor)]
            return "<\(components.url!.absoluteString)>; rel=\"\(rel)\"; results=\"\(results)\"; cursor=\"\(cursor)\""
        }
        let links = link("0:\(max(0, offset - 2)):1", "previous", offset > 0) + ", " + link("0:\(offset + 2):0", "next", offset + 2 < items.count)
        return FakeAPI.Response(
            headers: [("Content-Type", "application/json"), ("Link", links)], body: try! JSONSerialization.data(withJSONObject: slice))
    }
}
