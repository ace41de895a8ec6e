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

    @Test("an indicator carries the least confidence of its words, where the recognizer gave them; it still counts")
    func confidences() {
        func words(_ text: String, confidences: [Double]) -> [RecognizedWord] {
            zip(IntentFixtures.words(text), confidences).map { w, c in
                var w = w
                w.confidence = c
                return w
            }
        }
        let faint = matcher.findings(in: words("she has a knife", confidences: [1, 1, 1, 0.2]))
        #expect(faint.count == 1 && faint[0].category == "weapon" && faint[0].confidence == 0.2 && faint[0].counts)
        let phrase = matcher.findings(in: words("he wants to kill himself", confidences: [1, 0.9, 0.7, 0.8, 1]))
        #expect(phrase.first?.category == "suicidal_ideation" && phrase.first?.confidence == 0.7)
        #expect(matcher.findings(in: IntentFixtures.words("she has a knife")).first?.confidence == nil)
        let h = Hypothesis(words: words("a knife", confidences: [0.5, 0.25]), isFinal: true, start: 0, end: 1)
        #expect(h.confidences == [0.5, 0.25])
        #expect(IntentFixtures.hypothesis("a knife", final: true).confidences == nil)
    }

    @Test("policy partial_safety_min_words and replies_on_finals: short exclusions and confirmations wait for the final")
    func finalsOnlyForShortExclusions() throws {
        var definition = IntentFixtures.definition
        definition.policy.partialSafetyMinWords = 2
        definition.policy.repliesOnFinals = true
        let strict = IntentMatcher(model: try IntentModel(definition))
        var tracker = IntentTracker(matcher: strict)
        // One word ("gun") in partials, however stable: not yet; the final settles it.
        for text in ["he has a gun and", "he has a gun and then", "he has a gun and then he"] {
            #expect(tracker.handle(IntentFixtures.hypothesis(text, final: false)).isEmpty, "\(text)")
        }
        #expect(tracker.handle(IntentFixtures.hypothesis("he has a gun and then he left", final: true)).map(\.finding.category) == ["weapon"])
        // Revised away by the final: never counts.
        var revised = IntentTracker(matcher: strict)
        for text in ["he has a knife and", "he has a knife and then"] {
            #expect(revised.handle(IntentFixtures.hypothesis(text, final: false)).isEmpty)
        }
        #expect(revised.handle(IntentFixtures.hypothesis("he has a life and then", final: true)).isEmpty)
        // A phrase of two or more words still settles on partials.
        var phrase = IntentTracker(matcher: strict)
        _ = phrase.handle(IntentFixtures.hypothesis("he took all his pills", final: false))
        #expect(phrase.handle(IntentFixtures.hypothesis("he took all his pills today", final: false)).map(\.finding.category) == ["attempt"])
        // A "yes" to the question counts only once the reply's final has it.
        var reply = IntentTracker(matcher: strict)
        _ = reply.handle(IntentFixtures.hypothesis("does he have a gun", final: true))
        #expect(reply.handle(IntentFixtures.hypothesis("yeah he", final: false, start: 3)).isEmpty)
        #expect(reply.handle(IntentFixtures.hypothesis("no he doesn't", final: true, start: 3)).isEmpty)
        // "Yeah ... no gun": the reply denies the part of the question it is about.
        var partial = IntentTracker(matcher: strict)
        _ = partial.handle(IntentFixtures.hypothesis("does he have a gun", final: true))
        #expect(partial.handle(IntentFixtures.hypothesis("yeah he is awake but no gun", final: true, start: 3)).filter(\.finding.counts).isEmpty)
    }

    @Test("policy partial_safety_lookahead: a short exclusion counts from partials once enough words follow it")
    func shortExclusionsWithLookahead() throws {
        var definition = IntentFixtures.definition
        definition.policy.partialSafetyMinWords = 2
        definition.policy.partialSafetyLookahead = 2
        let model = try IntentModel(definition)
        var tracker = IntentTracker(matcher: IntentMatcher(model: model))
        // "gun" at the frontier, then one word after it: not yet, however often seen.
        for text in ["he has a gun", "he has a gun", "he has a gun and", "he has a gun and"] {
            #expect(tracker.handle(IntentFixtures.hypothesis(text, final: false)).isEmpty, "\(text)")
        }
        // Two words after it, in consecutive partials: it counts before the final.
        #expect(tracker.handle(IntentFixtures.hypothesis("he has a gun and then", final: false)).map(\.finding.category) == ["weapon"])
        #expect(tracker.handle(IntentFixtures.hypothesis("he has a gun and then he left", final: true)).isEmpty)
        // Seen once only with words after it (a revision), it waits for the next partial.
        var revised = IntentTracker(matcher: IntentMatcher(model: model))
        #expect(revised.handle(IntentFixtures.hypothesis("he has a life and then", final: false)).isEmpty)
        #expect(revised.handle(IntentFixtures.hypothesis("he has a knife and then", final: false)).isEmpty)
        #expect(revised.handle(IntentFixtures.hypothesis("he has a knife and then he", final: false)).map(\.finding.category) == ["weapon"])
        // Out of range in the file: an error naming the policy.
        definition.policy.partialSafetyLookahead = 21
        #expect(throws: IntentModel.Problem.self) { try IntentModel(definition) }
    }

    @Test("policy partial_safety_min_letters: a long one-word exclusion settles on partials, a short one waits")
    func longWordsSettleOnPartials() throws {
        var definition = IntentFixtures.definition
        definition.policy.partialSafetyMinWords = 2
        definition.policy.partialSafetyMinLetters = 5
        let model = try IntentModel(definition)
        var long = IntentTracker(matcher: IntentMatcher(model: model))
        #expect(long.handle(IntentFixtures.hypothesis("he has a rifle and", final: false)).isEmpty)
        #expect(long.handle(IntentFixtures.hypothesis("he has a rifle and then", final: false)).map(\.finding.category) == ["weapon"])
        var short = IntentTracker(matcher: IntentMatcher(model: model))
        for text in ["he has a gun and", "he has a gun and then", "he has a gun and then he"] {
            #expect(short.handle(IntentFixtures.hypothesis(text, final: false)).isEmpty, "\(text)")
        }
        #expect(short.handle(IntentFixtures.hypothesis("he has a gun and then he left", final: true)).map(\.finding.category) == ["weapon"])
        definition.policy.partialSafetyMinLetters = 2
        #expect(throws: IntentModel.Problem.self) { try IntentModel(definition) }
    }

    @Test("negation kept_before: a weapon acquired stays present whatever past time follows")
    func keptBefore() throws {
        #expect(counted("he bought a rifle years ago").isEmpty)
        var definition = IntentFixtures.definition
        definition.negation.keptBefore = ["(bought|keeps)"]
        let kept = IntentMatcher(model: try IntentModel(definition))
        func counts(_ text: String) -> [String] { kept.findings(in: IntentFixtures.words(text)).filter(\.counts).map(\.category) }
        #expect(counts("he bought a rifle years ago") == ["weapon"])
        // Only the time cues yield: a disposal after it, a negation before it still undo it.
        #expect(counts("he bought a rifle but he sold it").isEmpty)
        #expect(counts("he never bought a rifle").isEmpty)
        #expect(counts("he had a rifle years ago").isEmpty)
    }

    @Test("negation after_across_safety: a state that ends an emergency takes back the exclusion, not the crisis")
    func afterAcrossSafety() throws {
        var definition = IntentFixtures.definition
        definition.negation.afterAcrossSafety = ["(awake|up) and talking"]
        let states = IntentMatcher(model: try IntentModel(definition))
        func counts(_ text: String) -> [String] { states.findings(in: IntentFixtures.words(text)).filter(\.counts).map(\.category) }
        #expect(counts("he took all his pills but now he is awake and talking").isEmpty)
        #expect(counts("i'm worried about him but now he is awake and talking") == ["welfare"])
        // The same cue in `after_across` would take back both.
        definition.negation.afterAcrossSafety = nil
        definition.negation.afterAcross = ["(awake|up) and talking"]
        let both = IntentMatcher(model: try IntentModel(definition))
        #expect(both.findings(in: IntentFixtures.words("i'm worried about him but now he is awake and talking")).filter(\.counts).isEmpty)
    }

    @Test("negation given: handed on needs its cue on both sides of the thing, in one sentence")
    func givenAround() throws {
        var definition = IntentFixtures.definition
        definition.negation.given = [.init(before: "gave", after: "to my (son|brother)")]
        let given = IntentMatcher(model: try IntentModel(definition))
        func counts(_ text: String) -> [String] { given.findings(in: IntentFixtures.words(text)).filter(\.counts).map(\.category) }
        #expect(counts("i gave my old rifle to my son when i retired").isEmpty)
        // Either side alone says nothing.
        #expect(counts("his buddy gave him a rifle") == ["weapon"])
        #expect(counts("he pointed the rifle to my son") == ["weapon"])
        // Not across a sentence, not across a new clause before it.
        #expect(counts("i gave up. he has a rifle. to my son he said") == ["weapon"])
        #expect(counts("he gave up and he has a rifle to my son") == ["weapon"])
        definition.negation.given = [.init(before: "gave (", after: "to")]
        #expect(throws: IntentModel.Problem.self) { try IntentModel(definition) }
    }

    @Test("negation after_turn: a later sentence of the turn takes it back, read past commas")
    func afterTurn() throws {
        var definition = IntentFixtures.definition
        definition.negation.afterTurn = ["(there's|there is) nothing like that here", "(wait|sorry) (it's|that's) (a|just)"]
        definition.negation.afterTurnScope = 8
        let turn = IntentMatcher(model: try IntentModel(definition))
        func counts(_ text: String) -> [String] { turn.findings(in: IntentFixtures.words(text)).filter(\.counts).map(\.category) }
        #expect(counts("he had a rifle. his dad took it. there's nothing like that here.").isEmpty)
        #expect(counts("she's waving a rifle, wait, no, sorry, it's a paintbrush").isEmpty)
        // Only what was said before it, and only within the scope.
        #expect(counts("there's nothing like that here. he has a rifle") == ["weapon"])
        #expect(counts("he has a rifle and he is walking around and yelling and crying and then there's nothing like that here") == ["weapon"])
        definition.negation.afterTurnScope = 0
        #expect(throws: IntentModel.Problem.self) { try IntentModel(definition) }
    }

    @Test("policy partial_pause_lookahead: a phrase that ends before a pause counts from partials")
    func pauseLookahead() throws {
        // "he wants to kill himself": the last word ends at 1.45 s.
        func partial(_ text: String, heardUntil: Double?) -> Hypothesis {
            var h = IntentFixtures.hypothesis(text, final: false)
            h.heardUntil = heardUntil
            return h
        }
        let text = "he wants to kill himself"
        // Without the option, silence after the phrase is not enough: the final settles it.
        var plain = IntentTracker(matcher: matcher)
        for until in [1.5, 1.6, 1.7, 1.9] {
            #expect(plain.handle(partial(text, heardUntil: until)).isEmpty)
        }
        var definition = IntentFixtures.definition
        definition.policy.partialPauseLookahead = 0.2
        let model = try IntentModel(definition)
        var tracker = IntentTracker(matcher: IntentMatcher(model: model))
        // Decoded only 0.05 and 0.15 s past the phrase: not yet.
        #expect(tracker.handle(partial(text, heardUntil: 1.5)).isEmpty)
        #expect(tracker.handle(partial(text, heardUntil: 1.6)).isEmpty)
        // 0.25 s of audio with no word after it, seen in consecutive partials: it counts.
        #expect(tracker.handle(partial(text, heardUntil: 1.7)).map(\.finding.category) == ["suicidal_ideation"])
        #expect(tracker.handle(IntentFixtures.hypothesis(text, final: true)).isEmpty)
        // A partial that does not say how far it was decoded waits for words or the final.
        var unknown = IntentTracker(matcher: IntentMatcher(model: model))
        #expect(unknown.handle(partial(text, heardUntil: nil)).isEmpty)
        #expect(unknown.handle(partial(text, heardUntil: nil)).isEmpty)
        // Seen once only (a revision), a pause is not enough: the phrase needs the next partial.
        var revised = IntentTracker(matcher: IntentMatcher(model: model))
        #expect(revised.handle(partial("he wants to kill him", heardUntil: 1.9)).isEmpty)
        #expect(revised.handle(partial(text, heardUntil: 2.0)).isEmpty)
        #expect(revised.handle(partial(text, heardUntil: 2.1)).map(\.finding.category) == ["suicidal_ideation"])
        // Out of range in the file: an error naming the policy.
        definition.policy.partialPauseLookahead = 3
        #expect(throws: IntentModel.Problem.self) { try IntentModel(definition) }
    }

    @Test("a crisis phrase inside a confuser still under way waits for the final; an exclusion does not")
    func openConfuser() throws {
        var definition = IntentFixtures.definition
        definition.confusers = ["(glue|nail) gun", "kill himself laughing (at|over)", "gun (show|shows) (this|next)"]
        let matcher = IntentMatcher(model: try IntentModel(definition))
        var tracker = IntentTracker(matcher: matcher)
        #expect(tracker.handle(IntentFixtures.hypothesis("he'll kill himself", final: false)).isEmpty)
        // Held, with a word after it and seen twice: "laughing" may yet become "laughing at".
        #expect(tracker.handle(IntentFixtures.hypothesis("he'll kill himself laughing", final: false)).isEmpty)
        #expect(tracker.handle(IntentFixtures.hypothesis("he'll kill himself laughing at", final: false)).isEmpty)
        #expect(tracker.handle(IntentFixtures.hypothesis("he'll kill himself laughing at this", final: true)).isEmpty)
        // The confuser dies at the next word: the phrase settles as before.
        var other = IntentTracker(matcher: matcher)
        #expect(other.handle(IntentFixtures.hypothesis("he'll kill himself", final: false)).isEmpty)
        #expect(other.handle(IntentFixtures.hypothesis("he'll kill himself tonight", final: false)).map(\.finding.category) == ["suicidal_ideation"])
        // An exclusion is not held: a partial sometimes has a true one the final loses.
        var weapon = IntentTracker(matcher: matcher)
        #expect(weapon.handle(IntentFixtures.hypothesis("he has a gun", final: false)).isEmpty)
        #expect(weapon.handle(IntentFixtures.hypothesis("he has a gun show", final: false)).map(\.finding.category) == ["weapon"])
    }

    @Test("policy partial_long_phrase_words: a long phrase settles on partials without a word after it")
    func longPhraseWords() throws {
        var definition = IntentFixtures.definition
        definition.policy.partialLongPhraseWords = 3
        let model = try IntentModel(definition)
        // "wants to kill himself" (4 words): two partials in a row are enough.
        var long = IntentTracker(matcher: IntentMatcher(model: model))
        #expect(long.handle(IntentFixtures.hypothesis("he wants to kill himself", final: false)).isEmpty)
        #expect(long.handle(IntentFixtures.hypothesis("he wants to kill himself", final: false)).map(\.finding.category) == ["suicidal_ideation"])
        // "kill himself" (2 words) still needs the word after it.
        var short = IntentTracker(matcher: IntentMatcher(model: model))
        #expect(short.handle(IntentFixtures.hypothesis("kill himself", final: false)).isEmpty)
        #expect(short.handle(IntentFixtures.hypothesis("kill himself", final: false)).isEmpty)
        #expect(short.handle(IntentFixtures.hypothesis("kill himself he", final: false)).map(\.finding.category) == ["suicidal_ideation"])
        // Without the option the long phrase waits for a word after it too.
        var plain = IntentTracker(matcher: matcher)
        for _ in 0..<3 { #expect(plain.handle(IntentFixtures.hypothesis("he wants to kill himself", final: false)).isEmpty) }
        definition.policy.partialLongPhraseWords = 1
        #expect(throws: IntentModel.Problem.self) { try IntentModel(definition) }
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

    @Test("stereo: each side's partials settle on their own, and only the caller's side answers a question")
    func interleavedSides() {
        var tracker = IntentTracker(matcher: matcher, channelSpeaker: .caller)
        func h(_ text: String, _ final: Bool, _ start: Double = 0) -> Hypothesis { IntentFixtures.hypothesis(text, final: final, start: start) }
        // The caller's partials, with the call-taker's in between, still settle.
        #expect(tracker.handle(h("he wants to kill himself", false), speaker: .caller).isEmpty)
        #expect(tracker.handle(h("okay", false, 0.5), speaker: .taker).isEmpty)
        let settled = tracker.handle(h("he wants to kill himself tonight", false), speaker: .caller)
        #expect(settled.map(\.finding.category) == ["suicidal_ideation"])
        #expect(tracker.handle(h("okay sir", true, 0.5), speaker: .taker).isEmpty)
        #expect(tracker.handle(h("he wants to kill himself tonight", true), speaker: .caller).isEmpty, "reported once")
        // The call-taker asks, follows up on their own side, and the caller confirms.
        let q = tracker.handle(h("does he have a gun", true, 10), speaker: .taker)
        #expect(q.count == 1 && q[0].speaker == .taker && !q[0].finding.counts)
        #expect(tracker.handle(h("any knives", true, 12), speaker: .taker).allSatisfy { !$0.finding.counts })
        let yes = tracker.handle(h("yes a knife and a gun", true, 14), speaker: .caller)
        #expect(yes.contains { $0.speaker == .caller && $0.finding.counts && $0.finding.category == "weapon" })
        // The caller's own final does not clear a question still waiting for its answer.
        var other = IntentTracker(matcher: matcher, channelSpeaker: .caller)
        _ = other.handle(h("does he have a gun", true, 10), speaker: .taker)
        #expect(other.handle(h("yeah", false, 11), speaker: .taker).isEmpty, "the call-taker's own words are no reply")
        let answer = other.handle(h("yeah he does", true, 12), speaker: .caller)
        #expect(answer.contains { $0.finding.counts && $0.finding.category == "weapon" })
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
