import Foundation
import VitalsTestSupport

/// Linear's GraphQL endpoint (`POST /graphql`) as its schema describes it: `issues` and `cycles` connections in pages of
/// two (`pageInfo { hasNextPage endCursor }`, `after` the cursor), chosen by the query's filter; `viewer`; rate-limit
/// headers on every answer.
enum FakeLinear {
    static func issue(_ id: String, estimate: Double?, started: String?, completed: String?) -> [String: Any] {
        ["id": id, "estimate": estimate ?? NSNull(), "startedAt": started ?? NSNull(), "completedAt": completed ?? NSNull()]
    }

    /// Issues A–D completed 03-05 to 03-07 (D "started" after it was completed), two open bugs, cycles 11 (previous) and
    /// 12 (active).
    static func make() throws -> FakeAPI {
        let linear = try FakeAPI(headers: [
            ("X-RateLimit-Requests-Limit", "1500"), ("X-RateLimit-Requests-Remaining", "1499"), ("X-RateLimit-Requests-Reset", "1772884860000"),
        ])
        nonisolated(unsafe) let completed: [Any] = [
            issue("A", estimate: 3, started: "2026-03-05T08:00:00.000Z", completed: "2026-03-05T10:00:00.000Z"),
            issue("B", estimate: nil, started: nil, completed: "2026-03-05T12:00:00.000Z"),
            issue("C", estimate: 5, started: "2026-03-06T00:00:00.000Z", completed: "2026-03-07T00:00:00.000Z"),
            issue("D", estimate: 2, started: "2026-03-07T11:00:00.000Z", completed: "2026-03-07T10:00:00.000Z"),
        ]
        nonisolated(unsafe) let bugs: [Any] = [
            issue("E", estimate: 1, started: nil, completed: nil), issue("F", estimate: nil, started: nil, completed: nil),
        ]
        nonisolated(unsafe) let cycles: [Any] = [
            ["id": "c12", "number": 12, "isActive": true, "scopeHistory": [10, 12, 20], "completedScopeHistory": [0, 4, 5]],
            ["id": "c11", "number": 11, "isActive": false, "scopeHistory": [8, 16], "completedScopeHistory": [2, 12]],
        ]
        linear.handle("/graphql") { request, _ in
            guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any], let query = body["query"] as? String else {
                return FakeAPI.Response(status: 400, text: #"{"errors":[{"message":"Must provide query string."}]}"#)
            }
            let variables = body["variables"] as? [String: Any] ?? [:]
            if query.contains("viewer") { return json(["data": ["viewer": ["id": "u1"]]]) }
            let filter = variables["filter"] as? [String: Any] ?? [:]
            let (field, items): (String, [Any]) =
                query.contains("cycles(") ? ("cycles", cycles) : filter["labels"] != nil ? ("issues", bugs) : ("issues", completed)
            let offset = (variables["after"] as? String).flatMap { Int($0.dropFirst("cursor-".count)) } ?? 0
            let more = offset + 2 < items.count
            let page: [String: Any] = [
                "nodes": Array(items.dropFirst(offset).prefix(2)),
                "pageInfo": [
                    "hasNextPage": more, "endCursor": more ? "cursor-\(offset + 2)" : NSNull(), "hasPreviousPage": offset > 0, "startCursor": "s",
                ],
            ]
            return json(["data": [field: page]])
        }
        return linear
    }

    static func json(_ value: Any) -> FakeAPI.Response {
        FakeAPI.Response(headers: [("Content-Type", "application/json")], body: try! JSONSerialization.data(withJSONObject: value))
    }

    /// The filters the requests asked with, in order.
    static func filters(_ linear: FakeAPI) -> [[String: Any]] {
        linear.requests.compactMap { request in
            ((try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any]).flatMap {
                ($0["variables"] as? [String: Any])?["filter"] as? [String: Any]
            }
        }
    }
}
