import Testing
import VitalsCore
import VitalsRules

/// The state machine keeps instances in the order of `Labels <`, which compares canonical texts: its faster comparison must
/// agree where texts and label pairs order differently (a name that extends another, escaped values, a value's end).
@Suite struct AlertInstanceOrderTests {
    let machine = AlertStateMachine(AlertRuleSettings(group: "g", alert: "A"))

    /// In canonical order: `a1=` before `a=` ('1' < '='); a value's closing quote after a space and `!` but before escapes.
    static let canonicalOrder: [Labels] = [
        ["a1": "1"], ["a": "1"], ["a": "1", "b": "2"], ["ab": "1"], ["v": "e"], ["v": "x y"], ["v": "x!"], ["v": "x"], ["v": "x\"y"],
        ["v": "x\\"], ["v": "x\ny"],
    ]

    func instanceOrder(firing labelSets: [Labels]) -> [Labels] {
        let firing = Dictionary(uniqueKeysWithValues: labelSets.map { ($0, AlertSample(value: 1)) })
        return machine.evaluate(.initial, AlertEvaluationInput(now: Timestamp(milliseconds: 0), firing: firing)).state.instances.map(\.labels)
    }

    @Test func asciiLabelSetsFollowTheirCanonicalTexts() {
        #expect(instanceOrder(firing: Self.canonicalOrder.reversed()) == Self.canonicalOrder)
        #expect(Self.canonicalOrder == Self.canonicalOrder.sorted())
    }

    @Test func nonASCIILabelSetsFollowTheirCanonicalTexts() {
        let labelSets = Self.canonicalOrder + [["v": "é"], ["w": "ä", "v": "x"]]
        // `v="x",w="ä"` extends `v="x"`, and its comma comes before the backslash of `v="x\"y"`.
        let expected: [Labels] = Array(Self.canonicalOrder[...7]) + [["v": "x", "w": "ä"]] + Array(Self.canonicalOrder[8...]) + [["v": "é"]]
        #expect(instanceOrder(firing: labelSets.reversed()) == expected)
        #expect(expected == labelSets.sorted())
    }

    @Test func existingInstancesMergeWithNewOnesInOrder() {
        let now = Timestamp(milliseconds: 0)
        let later = Timestamp(milliseconds: 60_000)
        let first = machine.evaluate(
            .initial, AlertEvaluationInput(now: now, firing: [["v": "x"]: AlertSample(value: 1), ["a": "1"]: AlertSample(value: 1)]))
        let second = machine.evaluate(
            first.state, AlertEvaluationInput(now: later, firing: [["v": "x!"]: AlertSample(value: 2), ["a1": "1"]: AlertSample(value: 2)]))
        // The resolved instances stay for the evaluation that resolved them.
        #expect(second.state.instances.map(\.labels) == [["a1": "1"], ["a": "1"], ["v": "x!"], ["v": "x"]])
        #expect(second.transitions.map(\.labels) == [["a1": "1"], ["a": "1"], ["v": "x!"], ["v": "x"]])
    }
}
