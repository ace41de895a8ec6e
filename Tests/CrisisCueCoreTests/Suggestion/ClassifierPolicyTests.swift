import CrisisCueCore
import Testing

@Suite("Classifier policy: the suggestion from the classifier's probabilities")
struct ClassifierPolicyTests {
    typealias P = CallClassifier.Probabilities
    static let policy = ClassifierPolicy(file: "c.tsv", safetyAbove: 0.2, leaveNoneAt: 0.6, overrideExclusionAt: 0.6, transferNeedsIndicator: true)

    struct Case: CustomTestStringConvertible, Sendable {
        var p: P?
        var current: SuggestedAction
        var rules: SuggestedAction
        var crisis: Bool
        var want: SuggestedAction
        var why: String
        var testDescription: String { why }
    }

    @Test("decision table", arguments: [
        Case(p: P(transfer: 0.8, safety: 0.1, none: 0.1), current: .none, rules: .transfer, crisis: true, want: .transfer, why: "confident transfer with a crisis phrase"),
        Case(p: P(transfer: 0.7, safety: 0.25, none: 0.05), current: .none, rules: .transfer, crisis: true, want: .safety, why: "some danger turns a transfer into safety"),
        Case(p: P(transfer: 0.5, safety: 0.1, none: 0.4), current: .none, rules: .transfer, crisis: true, want: .none, why: "not confident: stays none"),
        Case(p: nil, current: .none, rules: .transfer, crisis: true, want: .none, why: "nothing final yet"),
        Case(p: P(transfer: 0.9, safety: 0.05, none: 0.05), current: .none, rules: .none, crisis: false, want: .none, why: "a transfer needs a crisis phrase"),
        Case(p: P(transfer: 0.5, safety: 0.15, none: 0.35), current: .none, rules: .safety, crisis: true, want: .none, why: "not confident: even the rules' safety waits"),
        Case(p: P(transfer: 0.65, safety: 0.15, none: 0.2), current: .none, rules: .safety, crisis: true, want: .transfer, why: "past a rule exclusion with P(transfer) >= 0.6"),
        Case(p: P(transfer: 0.62, safety: 0.18, none: 0.2), current: .safety, rules: .safety, crisis: true, want: .transfer, why: "a safety may become a transfer"),
        Case(p: P(transfer: 0.55, safety: 0.15, none: 0.3), current: .transfer, rules: .safety, crisis: true, want: .safety, why: "below 0.6 a rule exclusion vetoes"),
        Case(p: P(transfer: 0.1, safety: 0.1, none: 0.8), current: .transfer, rules: .transfer, crisis: true, want: .transfer, why: "never back to none"),
        Case(p: P(transfer: 0.45, safety: 0.3, none: 0.25), current: .transfer, rules: .transfer, crisis: true, want: .safety, why: "once shown, the veto needs no confidence"),
        Case(p: P(transfer: 0.1, safety: 0.7, none: 0.2), current: .none, rules: .none, crisis: false, want: .safety, why: "a danger the rules did not hear"),
        Case(p: P(transfer: 0.1, safety: 0.1, none: 0.8), current: .transfer, rules: .safety, crisis: true, want: .safety, why: "a rule exclusion vetoes a transfer shown even when the classifier reads an ordinary call"),
    ])
    func table(_ c: Case) {
        #expect(Self.policy.decide(c.p, current: c.current, rules: c.rules, crisisHeard: c.crisis) == c.want)
    }

    @Test("a weapon heard needs a surer classifier to be overruled than other exclusions (override_exclusion_at_by_category)")
    func byCategory() {
        var policy = Self.policy
        policy.overrideExclusionAtByCategory = ["weapon": 0.85]
        let p = P(transfer: 0.8, safety: 0.1, none: 0.1)
        #expect(policy.decide(p, current: .transfer, rules: .safety, crisisHeard: true, exclusionCategories: ["medical"]) == .transfer)
        #expect(policy.decide(p, current: .transfer, rules: .safety, crisisHeard: true, exclusionCategories: ["weapon"]) == .safety)
        #expect(policy.decide(p, current: .transfer, rules: .safety, crisisHeard: true, exclusionCategories: ["medical", "weapon"]) == .safety,
                "the highest bar of the categories heard applies")
        #expect(policy.decide(P(transfer: 0.9, safety: 0.05, none: 0.05), current: .transfer, rules: .safety, crisisHeard: true,
                              exclusionCategories: ["weapon"]) == .transfer)
    }

    @Test("a firm exclusion the rules heard is never overruled, however sure the classifier is")
    func firm() {
        let sure = P(transfer: 0.99, safety: 0.005, none: 0.005)
        let policy = Self.policy
        #expect(policy.decide(sure, current: .safety, rules: .safety, crisisHeard: true, exclusionCategories: ["medical"]) == .transfer)
        #expect(policy.decide(sure, current: .safety, rules: .safety, crisisHeard: true, exclusionCategories: ["medical"],
                              firmExclusionHeard: true) == .safety)
        #expect(policy.decide(sure, current: .transfer, rules: .safety, crisisHeard: true, exclusionCategories: ["medical"],
                              firmExclusionHeard: true) == .safety, "a transfer on screen turns into safety")
        var early = Self.policy
        early.ruleSafetyAtOnce = true
        #expect(early.decide(P(transfer: 0.5, safety: 0.2, none: 0.3), current: .none, rules: .safety, crisisHeard: true,
                             exclusionCategories: ["medical"], firmExclusionHeard: true) == .safety, "early in the call too")
    }

    @Test("option: hysteresis, a safety on screen is lifted only below lift_safety_below")
    func liftBelow() {
        var policy = Self.policy
        policy.liftSafetyBelow = 0.15
        let hovering = P(transfer: 0.62, safety: 0.18, none: 0.2)
        #expect(Self.policy.decide(hovering, current: .safety, rules: .transfer, crisisHeard: true) == .transfer, "absent: lifted at safety_above")
        #expect(policy.decide(hovering, current: .safety, rules: .transfer, crisisHeard: true) == .safety, "inside the band the veto stands")
        #expect(policy.decide(P(transfer: 0.7, safety: 0.14, none: 0.16), current: .safety, rules: .transfer, crisisHeard: true) == .transfer)
        #expect(policy.decide(hovering, current: .transfer, rules: .transfer, crisisHeard: true) == .transfer,
                "a transfer shown stays until P(safety) passes safety_above")
        #expect(policy.decide(P(transfer: 0.7, safety: 0.21, none: 0.09), current: .transfer, rules: .transfer, crisisHeard: true) == .safety,
                "the veto itself is never delayed by the band")
        var above = Self.policy
        above.liftSafetyBelow = 0.3
        #expect(above.decide(P(transfer: 0.7, safety: 0.25, none: 0.05), current: .safety, rules: .transfer, crisisHeard: true) == .safety,
                "a band above safety_above is read as safety_above: a safety is never lifted where a transfer would be vetoed")
    }

    @Test("option: hysteresis on overruling a heard exclusion, lift_exclusion_margin")
    func liftExclusionMargin() {
        var policy = Self.policy
        policy.liftExclusionMargin = 0.05
        let atBar = P(transfer: 0.62, safety: 0.18, none: 0.2)
        #expect(Self.policy.decide(atBar, current: .safety, rules: .safety, crisisHeard: true) == .transfer, "absent: lifted at the bar")
        #expect(policy.decide(atBar, current: .safety, rules: .safety, crisisHeard: true) == .safety, "a safety shown needs the bar plus the margin")
        #expect(policy.decide(P(transfer: 0.66, safety: 0.14, none: 0.2), current: .safety, rules: .safety, crisisHeard: true) == .transfer)
        #expect(policy.decide(atBar, current: .transfer, rules: .safety, crisisHeard: true) == .transfer,
                "a transfer shown is vetoed only below the bar itself")
        #expect(policy.decide(atBar, current: .safety, rules: .transfer, crisisHeard: true) == .transfer,
                "no exclusion heard: the margin does not apply")
        var byCategory = policy
        byCategory.overrideExclusionAtByCategory = ["weapon": 0.85]
        #expect(byCategory.decide(P(transfer: 0.88, safety: 0.1, none: 0.02), current: .safety, rules: .safety, crisisHeard: true,
                                  exclusionCategories: ["weapon"]) == .safety, "the margin is added to the category's bar")
        #expect(byCategory.decide(P(transfer: 0.91, safety: 0.05, none: 0.04), current: .safety, rules: .safety, crisisHeard: true,
                                  exclusionCategories: ["weapon"]) == .transfer)
    }

    @Test("options: safety that sticks, the rules' verdict until the classifier is confident")
    func options() {
        var sticky = Self.policy
        sticky.safetySticks = true
        #expect(sticky.decide(P(transfer: 0.9, safety: 0.05, none: 0.05), current: .safety, rules: .transfer, crisisHeard: true) == .safety)
        var rules = Self.policy
        rules.rulesUntilConfident = true
        #expect(rules.decide(nil, current: .none, rules: .transfer, crisisHeard: true) == .transfer)
        #expect(rules.decide(P(transfer: 0.4, safety: 0.3, none: 0.3), current: .none, rules: .transfer, crisisHeard: true) == .none,
                "the rules' transfer waits while the classifier sees some danger")
        #expect(rules.decide(P(transfer: 0.4, safety: 0.3, none: 0.3), current: .transfer, rules: .safety, crisisHeard: true) == .safety)
    }

    @Test("options: an early transfer before the classifier is confident, a rule exclusion shown at once")
    func earlyOptions() {
        var early = Self.policy
        early.earlyTransferAt = 0.3
        early.earlySafetyBelow = 0.3
        #expect(early.decide(P(transfer: 0.35, safety: 0.25, none: 0.4), current: .none, rules: .transfer, crisisHeard: true) == .transfer)
        #expect(early.decide(P(transfer: 0.35, safety: 0.32, none: 0.33), current: .none, rules: .transfer, crisisHeard: true) == .none,
                "too much danger for an early transfer")
        #expect(early.decide(P(transfer: 0.25, safety: 0.1, none: 0.65), current: .none, rules: .transfer, crisisHeard: true) == .none,
                "the classifier is sure it is none: no rule transfer")
        #expect(early.decide(P(transfer: 0.4, safety: 0.1, none: 0.5), current: .none, rules: .safety, crisisHeard: true) == .none,
                "an early transfer is only the rules' own transfer")
        #expect(Self.policy.decide(P(transfer: 0.35, safety: 0.15, none: 0.5), current: .none, rules: .transfer, crisisHeard: true) == .none,
                "off by default")
        var atOnce = Self.policy
        atOnce.ruleSafetyAtOnce = true
        #expect(atOnce.decide(P(transfer: 0.4, safety: 0.15, none: 0.45), current: .none, rules: .safety, crisisHeard: true) == .safety)
        #expect(atOnce.decide(P(transfer: 0.4, safety: 0.15, none: 0.45), current: .none, rules: .transfer, crisisHeard: true) == .none)
    }

    @Test("option: a transfer with no crisis phrase the rules heard, when the classifier is sure")
    func transferWithoutIndicator() {
        var sure = Self.policy
        sure.transferWithoutIndicatorAt = 0.85
        let p = P(transfer: 0.9, safety: 0.05, none: 0.05)
        #expect(Self.policy.decide(p, current: .none, rules: .none, crisisHeard: false) == .none, "off by default")
        #expect(sure.decide(p, current: .none, rules: .none, crisisHeard: false) == .transfer)
        #expect(sure.decide(P(transfer: 0.8, safety: 0.05, none: 0.15), current: .none, rules: .none, crisisHeard: false) == .none,
                "below the bar the rules' crisis phrase is still needed")
        sure.overrideExclusionAt = 0.95
        #expect(sure.decide(P(transfer: 0.9, safety: 0.1, none: 0.0), current: .none, rules: .safety, crisisHeard: false, exclusionHeard: true) == .safety,
                "an exclusion the rules heard still needs override_exclusion_at")
    }
    @Test("option: a safety with no crisis phrase the rules heard needs more confidence")
    func safetyWithoutIndicator() {
        var strict = Self.policy
        strict.safetyWithoutIndicatorAt = 0.6
        let danger = P(transfer: 0.05, safety: 0.55, none: 0.4)
        #expect(Self.policy.decide(danger, current: .none, rules: .none, crisisHeard: false, exclusionHeard: true) == .none,
                "below leave_none_at nothing is shown either way")
        let likely = P(transfer: 0.05, safety: 0.58, none: 0.37)
        var loose = Self.policy
        loose.leaveNoneAt = 0.5
        strict.leaveNoneAt = 0.5
        #expect(loose.decide(likely, current: .none, rules: .none, crisisHeard: false, exclusionHeard: true) == .safety, "off by default")
        #expect(strict.decide(likely, current: .none, rules: .none, crisisHeard: false, exclusionHeard: true) == .none,
                "a danger alone (a seizure, a break-in) is none by DOMAIN.md")
        #expect(strict.decide(P(transfer: 0.05, safety: 0.65, none: 0.3), current: .none, rules: .none, crisisHeard: false, exclusionHeard: true) == .safety,
                "the classifier sure of a safety still shows it")
        #expect(strict.decide(likely, current: .none, rules: .safety, crisisHeard: true, exclusionHeard: true) == .safety,
                "with a crisis phrase heard the bar does not apply")
        #expect(strict.decide(P(transfer: 0.4, safety: 0.45, none: 0.15), current: .transfer, rules: .transfer, crisisHeard: false, exclusionHeard: false) == .safety,
                "a transfer shown is still vetoed at safety_above")
    }
}
