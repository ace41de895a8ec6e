import CrisisCueCore
import Testing

@Suite("Intent matcher and tracker: negation, questions, stability")
struct IntentTrackerTests {
    let matcher = IntentMatcher(model: IntentFixtures.model)

    func counted(_ text: String) -> [String] {
        matcher.findings(in: IntentFixtures.words(text)).filter(\.counts).map(\.category)
    }

    @Test("negated exclusions do not count", arguments: [
        "no no gun", "he sold the gun", "he had a rifle years ago", "he had a rifle but he sold it", "nobody has a knife",
    ])
    func negation(text: String) {
        let found = matcher.findings(in: IntentFixtures.words(text))
        #expect(found.contains { $0.category == "weapon" && $0.negated }, "\(text)")
        #expect(!found.contains { $0.counts })
    }

    @Test("a negation does not reach across a new clause")
    func negationScope() {
        #expect(counted("no he has a gun") == ["weapon"])
        #expect(counted("he is not suicidal but he has a knife") == ["weapon"])
    }

    @Test("the call-taker's questions are not evidence; confusers are not indicators")
    func questionsAndConfusers() {
        let asked = matcher.findings(in: IntentFixtures.words("okay does he have a gun"))
        #expect(asked.count == 1 && asked[0].asked && !asked[0].counts)
        #expect(counted("he has a gun") == ["weapon"])
        #expect(counted("i was using the glue gun").isEmpty)
        // With the channel saying it is the caller, questions are not inferred.
        #expect(matcher.findings(in: IntentFixtures.words("does he have a gun"), questionsApply: false).first?.counts == true)
    }

    @Test("an indicator in partial hypotheses counts once it has held for two partials with a word after it")
    func stability() {
        var tracker = IntentTracker(matcher: matcher)
        #expect(tracker.handle(IntentFixtures.hypothesis("he wants to kill", final: false)).isEmpty)
        #expect(tracker.handle(IntentFixtures.hypothesis("he wants to kill himself", final: false)).isEmpty)
        let settled = tracker.handle(IntentFixtures.hypothesis("he wants to kill himself tonight", final: false))
        #expect(settled.map(\.finding.category) == ["suicidal_ideation"])
        #expect(tracker.handle(IntentFixtures.hypothesis("he wants to kill himself tonight", final: true)).isEmpty, "reported once per utterance")
        let final = tracker.handle(IntentFixtures.hypothesis("i haven't heard from her", final: true, start: 5))
        #expect(final.map(\.finding.category) == ["welfare"], "a final counts at once")
    }

    @Test("a word the recogniser changes its mind about never counts")
    func unstable() {
        var tracker = IntentTracker(matcher: matcher)
        #expect(tracker.handle(IntentFixtures.hypothesis("he has a gun and", final: false)).isEmpty)
        #expect(tracker.handle(IntentFixtures.hypothesis("he has a gone and", final: false)).isEmpty)
        #expect(tracker.handle(IntentFixtures.hypothesis("he has a gone and then", final: true)).isEmpty)
    }

    @Test("a confirmed question becomes the caller's evidence; a denied one does not")
    func answers() {
        var tracker = IntentTracker(matcher: matcher)
        let q = tracker.handle(IntentFixtures.hypothesis("does he have a gun", final: true))
        #expect(q.count == 1 && q[0].speaker == .taker && !q[0].finding.counts)
        let yes = tracker.handle(IntentFixtures.hypothesis("yes in his truck", final: true, start: 3))
        #expect(yes.count == 1 && yes[0].finding.counts && yes[0].finding.category == "weapon")

        var other = IntentTracker(matcher: matcher)
        _ = other.handle(IntentFixtures.hypothesis("does he have a gun", final: true))
        #expect(other.handle(IntentFixtures.hypothesis("he does not", final: true, start: 3)).isEmpty)
    }

    @Test("typed speakers: the call-taker's words are never evidence")
    func typedSpeakers() {
        var tracker = IntentTracker(matcher: matcher)
        let r = tracker.handle(IntentFixtures.hypothesis("he has a gun", final: true), speaker: .taker)
        #expect(r.count == 1 && r[0].speaker == .taker && !r[0].finding.counts)
    }

    @Test("a session turns evidence into events: an attempt brings its crisis, the veto comes first")
    func session() {
        var session = CallSession(call: "c", intent: IntentFixtures.model)
        let events = session.handle(.final(IntentFixtures.hypothesis("she took a bunch of pills", final: true)), at: 2)
        let suggestions = events.compactMap { e -> SuggestedAction? in
            if case .suggestion(let a, _, _, _) = e.payload { a } else { nil }
        }
        #expect(suggestions == [.safety])
        #expect(events.first?.type == "transcript")
        #expect(events.contains { $0.type == "indicator" })
        if case .summary(let s) = session.summary(audioSeconds: 3, processingSeconds: 0.1).payload {
            #expect(s.action == .safety && s.firstSafetyT == 2 && s.firstTransferT == nil)
        }
    }
}
