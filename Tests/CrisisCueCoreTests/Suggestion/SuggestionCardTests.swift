import CrisisCueCore
import Foundation
import PropertyBased
import Testing

@Suite("Suggestion card: the veto, no flicker, resources by shift")
struct SuggestionCardTests {
    typealias E = SuggestionCard.Evidence
    static let monday1500 = ISO8601DateFormatter().date(from: "2026-11-23T21:00:00Z")!  // 15:00 in Chicago
    static let saturday = ISO8601DateFormatter().date(from: "2026-11-28T21:00:00Z")!

    func crisis(_ c: String = "suicidal_ideation", weight: Double = 1, t: Double = 1) -> E {
        E(category: c, kind: .crisis, phrase: "kill himself", t: t, weight: weight)
    }
    func exclusion(t: Double = 2) -> E { E(category: "weapon", kind: .safety, phrase: "gun", t: t, weight: 1) }

    @Test("transfer as soon as the evidence suffices; an exclusion turns it into safety at once")
    func transferThenVeto() {
        var card = SuggestionCard(model: IntentFixtures.model, callStart: Self.monday1500)
        let first = card.handle(crisis())
        #expect(first?.action == .transfer)
        #expect(first?.details?.service == "mental-health care")
        #expect(first?.details?.resource == "on-site social worker")
        #expect(card.handle(crisis("welfare")) == nil, "more evidence does not re-announce")
        let veto = card.handle(exclusion())
        #expect(veto?.action == .safety)
        #expect(veto?.details?.blocking == ["weapon"])
        #expect(veto?.details?.resource == "co-response")
        #expect(veto?.reasons.first?.category == "weapon")
        #expect(card.handle(crisis()) == nil)
        #expect(card.action == .safety)
    }

    @Test("an exclusion alone suggests nothing; crisis evidence after it gives safety, never transfer")
    func exclusionFirst() {
        var card = SuggestionCard(model: IntentFixtures.model, callStart: Self.monday1500)
        #expect(card.handle(exclusion()) == nil)
        #expect(card.handle(crisis())?.action == .safety)
    }

    @Test("weak evidence needs company")
    func weakEvidence() {
        var card = SuggestionCard(model: IntentFixtures.model, callStart: Self.monday1500)
        #expect(card.handle(crisis("welfare", weight: 0.5)) == nil)
        let change = card.handle(crisis("welfare", weight: 0.5))
        #expect(change?.action == .transfer)
        #expect(change?.reasons.count == 2)
    }

    @Test("outside the on-site hours the transfer names the alternative")
    func outsideHours() {
        var card = SuggestionCard(model: IntentFixtures.model, callStart: Self.saturday)
        #expect(card.handle(crisis())?.details?.resource == "mobile crisis team")
        let plan = try! ResourcePlan(IntentFixtures.definition.resources!)
        #expect(plan.onSiteAvailable(at: Self.monday1500))
        #expect(!plan.onSiteAvailable(at: Self.monday1500.addingTimeInterval(6 * 3600)))  // 21:00
        #expect(throws: ResourcePlan.Problem.self) {
            try ResourcePlan(.init(timeZone: "Mars/Olympus", onSite: nil, outsideHours: nil, coResponse: nil))
        }
    }

    @Test("whatever the evidence, safety never goes back and transfer never returns to none")
    func noFlicker() async {
        await propertyCheck(input: Gen.int(in: 0...3).array(of: 0...25)) { kinds in
            var card = SuggestionCard(model: IntentFixtures.model, callStart: Self.monday1500)
            var seen: [SuggestedAction] = [.none]
            var confidences: [Double] = []
            for (i, k) in kinds.enumerated() {
                let e: E = switch k {
                case 0: crisis(t: Double(i))
                case 1: crisis("welfare", weight: 0.5, t: Double(i))
                case 2: exclusion(t: Double(i))
                default: E(category: "attempt", kind: .safety, phrase: "took pills", t: Double(i), weight: 1)
                }
                if let change = card.handle(e) {
                    #expect(change.action != seen.last)
                    seen.append(change.action)
                    confidences.append(change.confidence)
                }
            }
            #expect(seen == [.none] || seen == [.none, .transfer] || seen == [.none, .safety] || seen == [.none, .transfer, .safety])
            #expect(confidences.allSatisfy { (0...1).contains($0) })
        }
    }

    @Test("the classifier's card: its words where the rules heard no exclusion, and an overridden exclusion said aloud")
    func classifierCards() {
        var card = SuggestionCard(model: IntentFixtures.model, callStart: Self.monday1500)
        _ = card.handle(crisis())
        let safety = card.change(showing: .safety, at: 5, confidence: 0.7, classifierWords: ["bear spray"])
        #expect(safety.action == .safety && safety.confidence == 0.7)
        #expect(safety.details?.blocking == ["classifier"])
        #expect(safety.reasons.first == SuggestionReason(category: "classifier", phrase: "the call as a whole: 'bear spray'", t: 5))
        #expect(safety.reasons.contains { $0.category == "suicidal_ideation" })
        _ = card.handle(exclusion())
        let transfer = card.change(showing: .transfer, at: 9, confidence: 0.8, classifierWords: [])
        #expect(transfer.action == .transfer)
        #expect(transfer.reasons.first?.category == "suicidal_ideation")
        #expect(transfer.reasons.last == SuggestionReason(category: "classifier", phrase: "heard 'gun', but the call as a whole reads as a transfer", t: 9))
        let backed = card.change(showing: .safety, at: 9, confidence: 0.9, classifierWords: ["x"])
        #expect(backed.details?.blocking == ["weapon"] && !backed.reasons.contains { $0.category == "classifier" })
        // No crisis phrase heard, an exclusion heard: the classifier's words lead, and the
        // overridden exclusion is still said (before stop 37 the card named only the words).
        var bare = SuggestionCard(model: IntentFixtures.model, callStart: Self.monday1500)
        _ = bare.handle(exclusion())
        let overridden = bare.change(showing: .transfer, at: 12, confidence: 0.85, classifierWords: ["just need"])
        #expect(overridden.reasons == [
            SuggestionReason(category: "classifier", phrase: "the call as a whole: 'just need'", t: 12),
            SuggestionReason(category: "classifier", phrase: "heard 'gun', but the call as a whole reads as a transfer", t: 12),
        ])
    }
}
