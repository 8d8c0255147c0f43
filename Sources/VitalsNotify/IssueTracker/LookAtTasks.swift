import Foundation

/// What a report hands the improvement-task channels (`github_issue`, `linear_issue`): its "what to look at" items, each
/// with how many consecutive reports of that name it has been in, and the items of the previous report that left the
/// list. Queued with the report as JSON in its bodies under ``bodyKey``; the counts come from the previous report's
/// tasks, which the store keeps (`vitals report NAME --send`), so they survive restarts.
public struct LookAtTasks: Codable, Sendable, Equatable {
    /// The key of a report's bodies (`ReportMessage.bodies`) that holds its tasks.
    public static let bodyKey = "look_at_tasks"

    /// One "what to look at" item.
    public struct Item: Codable, Sendable, Equatable {
        /// Names the item across reports: `look_at/METRIC{labels}`; the marker is made from it.
        public let fingerprint: String
        /// `Line coverage (repo=acme/shop) is 60.0%`.
        public let title: String
        /// Markdown: value, threshold, trend and the recommendation.
        public let text: String
        /// The row's health score, 0–100.
        public let score: Double
        /// Consecutive reports of this name it has been in, this one included.
        public var reports: Int
        /// Its score is lower than in the previous report.
        public var worsened: Bool

        public init(fingerprint: String, title: String, text: String, score: Double, reports: Int = 1, worsened: Bool = false) {
            self.fingerprint = fingerprint
            self.title = title
            self.text = text
            self.score = score
            self.reports = reports
            self.worsened = worsened
        }
    }

    /// The report definition's name.
    public let report: String
    /// The report's period (`FROM/TO`): the tasks of one period are counted once, however often it is sent.
    public let period: String
    public let items: [Item]
    /// The previous report's items that are not in this one.
    public let left: [Item]

    public init(report: String, period: String, items: [Item], left: [Item]) {
        self.report = report
        self.period = period
        self.items = items
        self.left = left
    }

    /// The tasks of the report `report` for `period` whose items are `current`, counted on from `previous` (the tasks of
    /// the last report of that name, nil for the first): an item in both is in one more consecutive report, and worse
    /// when its score fell. The same period again gives `previous` as it was, so a second send counts nothing twice.
    public static func counting(_ current: [Item], report: String, period: String, after previous: LookAtTasks?) -> LookAtTasks {
        if let previous, previous.period == period { return previous }
        let before = Dictionary((previous?.items ?? []).map { ($0.fingerprint, $0) }) { first, _ in first }
        let items = current.map { item in
            var item = item
            item.reports = (before[item.fingerprint]?.reports ?? 0) + 1
            item.worsened = before[item.fingerprint].map { item.score < $0.score } ?? false
            return item
        }
        let now = Set(current.map(\.fingerprint))
        return LookAtTasks(report: report, period: period, items: items, left: (previous?.items ?? []).filter { !now.contains($0.fingerprint) })
    }

    /// The tasks as the JSON a report's bodies carry.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The tasks in `json`; nil when it does not hold them.
    public init?(json: String) {
        guard let tasks = try? JSONDecoder().decode(LookAtTasks.self, from: Data(json.utf8)) else { return nil }
        self = tasks
    }
}
