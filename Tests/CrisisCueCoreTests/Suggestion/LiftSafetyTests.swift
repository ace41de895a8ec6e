import CrisisCueCore
import Testing

@Suite("lift_safety_after: a safety on screen is not lifted on one reading")
struct LiftSafetyTests {
    /// `PartialClassificationTests`' classifier ("heard" pushes to transfer, "door" to
    /// safety) with "calm" pushing hard to transfer and "smoke" harder to safety.
    static let classifier = try! CallClassifier(tsv: PartialClassificationTests.tsv + "\ncalm\t2\t14\t0\t0\nsmoke\t2\t0\t30\t0")

    static func model(lift: Double?) -> IntentModel {
        IntentFixtures.classified(classifier) { $0.liftSafetyAfter = lift }
    }

    /// Finals, one every three seconds: the time and action of every suggestion.
    func suggestions(_ lift: Double?, _ lines: [String]) -> [(t: Double, action: SuggestedAction)] {
        var session = CallSession(call: "c", intent: Self.model(lift: lift))
        var out: [(Double, SuggestedAction)] = []
        for (i, line) in lines.enumerated() {
            for e in session.handle(.final(IntentFixtures.hypothesis(line, final: true)), at: Double(i + 1) * 3) {
                if case .suggestion(let a, _, _, _) = e.payload { out.append((e.t, a)) }
            }
        }
        #expect((out.last?.1 ?? .none) == session.action, "\(out) against \(session.action)")
        return out
    }

    static let call = [
        "we haven't heard from her since sunday", "her door is smashed in",
        "she is calm now calm", "she is calm", "calm calm", "calm",
    ]

    @Test("Absent, the classifier lifts the veto at its first transfer reading")
    func atOnce() {
        let s = suggestions(nil, Self.call)
        #expect(s.map(\.action) == [.transfer, .safety, .transfer], "\(s)")
        #expect(s.last.map { $0.t == 9 } == true, "\(s)")
    }

    @Test("Set, the transfer shows at the first reading that many seconds after the first one, every reading between deciding transfer")
    func heldFor() {
        let s = suggestions(5, Self.call)
        // Transfer readings at 9, 12 and 15 s: 12 is 3 s after 9, 15 is 6 s after.
        #expect(s.map(\.action) == [.transfer, .safety, .transfer], "\(s)")
        #expect(s.last.map { $0.t == 15 } == true, "\(s)")
        // A call that ends before the hold has passed ends `safety`, the safe side.
        let short = suggestions(5, Array(Self.call.prefix(4)))
        #expect(short.map(\.action) == [.transfer, .safety], "\(short)")
    }

    @Test("A reading that does not decide transfer starts the hold again")
    func restarts() {
        // Transfer readings at 9 s, then 15, 18 and 21 s; the one at 12 s ("smoke") decides
        // safety. Without the restart the transfer would show at 15 s (6 s after 9).
        let lines = [Self.call[0], Self.call[1], "she is calm now calm", "there is smoke", "she is calm calm calm", "calm calm calm", "calm calm", "calm"]
        let s = suggestions(5, lines)
        #expect(s.map(\.action) == [.transfer, .safety, .transfer], "\(s)")
        #expect(s.last.map { $0.t == 21 } == true, "\(s)")
    }
}
