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

    // MARK: exclusions on mixed audio wait for the reply

    func actions(_ events: [CallEvent]) -> [SuggestedAction] {
        events.compactMap { e -> SuggestedAction? in
            if case .suggestion(let a, _, _, _) = e.payload { a } else { nil }
        }
    }

    @Test("a garbled question's exclusion that the reply denies never counts; the transfer it held back then shows")
    func deniedQuestion() {
        var session = CallSession(call: "c", intent: IntentFixtures.model)
        var events = session.handle(.final(IntentFixtures.hypothesis("i haven't heard from her", final: true)), at: 1.5)
        #expect(actions(events) == [.transfer], "without the wait, as before")

        // A crisis, then a garbled "does she have a gun?" in the same stretch of audio.
        var later = CallSession(call: "c", intent: IntentFixtures.waitingModel)
        events = later.handle(.final(IntentFixtures.hypothesis("i haven't heard from her the thing she gun in the house", final: true)), at: 4)
        #expect(events.filter { $0.type == "indicator" }.count == 1, "the crisis shows; the exclusion waits for the reply")
        #expect(actions(events).isEmpty, "no transfer while an exclusion waits")
        events = later.handle(.partial(IntentFixtures.hypothesis("no", final: false, start: 4.5)), at: 4.9)
        events += later.handle(.partial(IntentFixtures.hypothesis("no she didn't", final: false, start: 4.5)), at: 5.4)
        let denied = events.first { $0.type == "indicator" }
        if case .indicator(_, let category, let phrase, _, _, let negated, _)? = denied?.payload {
            #expect(category == "weapon" && negated && phrase.contains("denied"))
        } else {
            Issue.record("no denied indicator: \(events)")
        }
        #expect(actions(events) == [.transfer], "the held-back transfer shows once the exclusion is denied")
        #expect(later.finish(at: 9).isEmpty)
    }

    @Test("an exclusion not denied counts at the reply's first words, or after the wait, or at the end of the call")
    func undeniedExclusion() {
        var replied = CallSession(call: "c", intent: IntentFixtures.waitingModel)
        _ = replied.handle(.final(IntentFixtures.hypothesis("i haven't heard from her and he has a gun", final: true)), at: 3)
        #expect(replied.action == .none)
        let events = replied.handle(.partial(IntentFixtures.hypothesis("okay stay", final: false, start: 4)), at: 4.8)
        #expect(actions(events) == [.safety])

        var silent = CallSession(call: "c", intent: IntentFixtures.waitingModel)
        _ = silent.handle(.final(IntentFixtures.hypothesis("i haven't heard from her and he has a gun", final: true)), at: 3)
        #expect(silent.advance(to: 4.5).isEmpty)
        #expect(actions(silent.advance(to: 5.6)) == [.safety], "2.5 s after the utterance ended")

        var ended = CallSession(call: "c", intent: IntentFixtures.waitingModel)
        _ = ended.handle(.final(IntentFixtures.hypothesis("i haven't heard from her and he has a gun", final: true)), at: 3)
        #expect(actions(ended.finish(at: 3.2)) == [.safety])
    }

    @Test("an exclusion the partials settled on but the final hypothesis dropped was never there")
    func droppedByFinal() {
        var session = CallSession(call: "c", intent: IntentFixtures.waitingModel)
        for (i, text) in ["he has a gun", "he has a gun and", "he has a gun and then"].enumerated() {
            _ = session.handle(.partial(IntentFixtures.hypothesis(text, final: false)), at: 1 + Double(i) * 0.2)
        }
        _ = session.handle(.final(IntentFixtures.hypothesis("he has a gone and then", final: true)), at: 2)
        #expect(session.finish(at: 5).isEmpty)
    }

    @Test("with a channel saying who speaks, the caller's exclusion counts at once")
    func channelDoesNotWait() {
        var session = CallSession(call: "c", channelSpeaker: .caller, intent: IntentFixtures.waitingModel)
        let events = session.handle(.final(IntentFixtures.hypothesis("i haven't heard from her and he has a gun", final: true)), at: 3)
        #expect(actions(events) == [.safety])
    }
}
