extension LocalDays {
    /// The days a write rebuilds a series' rollups over from raw when its samples at `times` (milliseconds) replaced stored
    /// ones or came before them: each local day holding either end of such a sample's UTC hour (an hour straddles a
    /// midnight in zones whose offset is not whole hours), days with at most one untouched day between them joined into one
    /// range (rescanning a short gap costs less than another query). Both stores rebuild these days and merge into the rows
    /// of the others, so their rollups are the same bit for bit (a rebuilt day folds its values one by one; a merged row
    /// adds a later write's sum to the stored one, which can round differently).
    ///
    /// `dayStarts` are consecutive local midnights, the first at or before every hour and the last after every hour's end;
    /// each range is of indices into it, from the first day's start to the last day's end.
    public static func rebuiltRanges(touching times: some Collection<Int64>, in dayStarts: [Int64]) -> [ClosedRange<Int>] {
        let hour: Int64 = 3_600_000
        let touched = Set(times.flatMap { time in
            let start = time - ((time % hour) + hour) % hour
            return [dayStarts.lastIndex(notAfter: start), dayStarts.lastIndex(notAfter: start + hour - 1)]
        }).sorted()
        guard var first = touched.first else { return [] }
        var last = first
        var ranges: [ClosedRange<Int>] = []
        for index in touched.dropFirst() {
            if index - last > 2 {
                ranges.append(first...last + 1)
                first = index
            }
            last = index
        }
        ranges.append(first...last + 1)
        return ranges
    }
}

extension Array where Element == Int64 {
    /// The index of the last element `<= value`, for a sorted array whose first element is `<= value`.
    public func lastIndex(notAfter value: Int64) -> Int {
        var low = 0
        var high = count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if self[middle] <= value { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
