import Testing
import VitalsCore
import VitalsPorts
import VitalsRules

@Suite struct AlertRuleIDTests {
    @Test(arguments: [
        ("HighErrorRate", "HighErrorRate", 0),
        ("HighErrorRate#2", "HighErrorRate", 1),
        ("HighErrorRate#12", "HighErrorRate", 11),
        // Not a key vitals gives a later rule: the rule's own name, first of its name.
        ("HighErrorRate#1", "HighErrorRate#1", 0),
        ("HighErrorRate#02", "HighErrorRate#02", 0),
        ("HighErrorRate#", "HighErrorRate#", 0),
        ("HighErrorRate#x", "HighErrorRate#x", 0),
        ("#2", "#2", 0),
        ("A#2#3", "A#2", 2),
    ])
    func aStoredKeyNamesTheRuleItWasWrittenFor(key: String, alert: String, ordinal: Int) {
        let id = AlertRuleID(group: "api", key: key)
        #expect(id.alert == alert)
        #expect(id.ordinal == ordinal)
        #expect(id.key == key)
        #expect(id.description == "api/\(key)")
    }

    @Test func idsAreEqualWhenTheirKeysAre() {
        #expect(AlertRuleID(group: "api", alert: "A", ordinal: 1) == AlertRuleID(group: "api", key: "A#2"))
        #expect(AlertRuleID(group: "api", alert: "A#2") == AlertRuleID(group: "api", alert: "A", ordinal: 1))
        #expect(AlertRuleID(group: "api", alert: "A") != AlertRuleID(group: "api", alert: "A", ordinal: 1))
        #expect(AlertRuleID(group: "api", alert: "A") != AlertRuleID(group: "web", alert: "A"))
    }
}
