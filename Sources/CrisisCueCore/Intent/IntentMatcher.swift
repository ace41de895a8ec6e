/// An indicator found in one hypothesis: which category, where, and whether it counts.
public struct IntentFinding: Equatable, Sendable {
    public var category: String
    public var kind: IntentModelDefinition.Kind
    /// The words as heard.
    public var phrase: String
    /// Audio seconds of the phrase.
    public var start: Double
    public var end: Double
    public var weight: Double
    /// A `firm` phrase of a safety category: the call classifier never overrules it.
    public var firm = false
    /// A negation cue governs it ("no weapons", "he sold the gun").
    public var negated: Bool
    /// It sits inside a call-taker's question or instruction ("does he have any weapons").
    public var asked: Bool
    /// How many words the phrase spans.
    public var words = 1
    /// A confuser covering it is still under way at the hypothesis's last word ("I fell
    /// off" may yet become "I fell off the wagon"): a partial cannot settle it.
    public var confuserOpen = false
    /// The least confidence the recognizer gave the phrase's words (nil where it gave
    /// none: partials, typed text). Reported, never used to drop evidence: on the 8 kHz
    /// development calls true exclusions came out as faint as misheard ones
    /// (docs/history.md, "Stop 33").
    public var confidence: Double?

    /// Whether it is evidence for the suggestion.
    public var counts: Bool { !negated && !asked }
}

/// Finds the model's indicators in a hypothesis's words. Pure and stateless.
public struct IntentMatcher: Sendable {
    public let model: IntentModel

    public init(model: IntentModel) { self.model = model }

    /// Findings in `words` (recognised words with their audio times), with negation and
    /// call-taker questions resolved. `questionsApply` is false when the channel already
    /// says the words are the caller's.
    /// `hypotheticals: false` reads "what if he uses that gun" as saying the gun (a reply
    /// that worries about the thing it was asked about does not deny it).
    public func findings(in words: [RecognizedWord], questionsApply: Bool = true, hypotheticals: Bool = true) -> [IntentFinding] {
        let tokens = TokenNormalizer.withoutDisfluencies(TokenNormalizer.tokens(words.map(\.text)))
        guard !tokens.isEmpty else { return [] }
        let maxEdits = model.policy.maxEdits
        let before = model.negationBefore.flatMap { $0.matches(in: tokens, maxEdits: 0) }
        let after = model.negationAfter.flatMap { $0.matches(in: tokens, maxEdits: 0) }
        let across = model.negationAfterAcross.flatMap { $0.matches(in: tokens, maxEdits: 0) }
        let acrossSafety = model.negationAfterAcrossSafety.flatMap { $0.matches(in: tokens, maxEdits: 0) }
        let kept = model.negationKeptBefore.flatMap { $0.matches(in: tokens, maxEdits: 0) }
        let given = Given(
            around: model.negationGiven.map { ($0.before.matches(in: tokens, maxEdits: 0), $0.after.matches(in: tokens, maxEdits: 0)) },
            turn: Self.matchesIgnoringCommas(model.negationAfterTurn, in: tokens),
            hypothetical: hypotheticals ? model.negationHypothetical.flatMap { $0.matches(in: tokens, maxEdits: 0) } : [])
        let questions = questionsApply ? questionScopes(tokens) : echoedQuestions(tokens)
        let confuserMatches = model.confusers.map { $0.matchesAndOpenStarts(in: tokens, maxEdits: 0) }
        let confused = confuserMatches.flatMap(\.matches)
        let openConfusers = confuserMatches.flatMap(\.openStarts)

        // Every category's matches first, then one pass that lets the better of two
        // overlapping matches of the same kind claim the words: fewer edits, then the
        // longer phrase, then the model's order ("cut her wrists", an exact suicide
        // attempt, wins over "cut [on] her", a medical cut with a missing word).
        var candidates: [(category: Int, match: PatternMatch, weight: Double, firm: Bool)] = []
        for (index, category) in model.categories.enumerated() {
            var matches: [(PatternMatch, Double, Bool)] = []
            for (template, weight, firm) in category.phrases {
                for m in template.matches(in: tokens, maxEdits: maxEdits) { matches.append((m, weight, firm)) }
            }
            for m in PhraseTemplate.reduce(matches.map(\.0)) {
                let same = matches.filter { $0.0 == m }
                candidates.append((index, m, same.map(\.1).max() ?? 1, same.contains { $0.2 }))
            }
        }
        candidates.sort {
            ($0.match.edits, $1.match.end - $1.match.start, $0.category, $0.match.start)
                < ($1.match.edits, $0.match.end - $0.match.start, $1.category, $1.match.start)
        }
        var results: [IntentFinding] = []
        var taken: [(Int, Int, IntentModelDefinition.Kind)] = []
        for (index, m, weight, firm) in candidates {
            let category = model.categories[index]
            // The same words may name two categories of the same kind; keep the better.
            if taken.contains(where: { $0.2 == category.kind && $0.0 < m.end && m.start < $0.1 }) { continue }
            // A confuser covering the indicator's words ("panic attack" for "attack")
            // drops it, unless the indicator is the whole confuser phrase itself.
            if confused.contains(where: { $0.start <= m.start && m.end <= $0.end && !(m.start == $0.start && m.end == $0.end) }) { continue }
            taken.append((m.start, m.end, category.kind))
            let negated = isNegated(
                m, tokens: tokens, before: before, after: after, across: category.kind == .safety ? across + acrossSafety : across,
                kept: kept, given: given)
            let asked = questions.contains { $0.lowerBound <= m.start && m.start < $0.upperBound }
            let first = tokens[m.start].word, last = tokens[m.end - 1].word
            let confidence = words[first...last].compactMap(\.confidence).min()
            var finding = IntentFinding(
                category: category.id, kind: category.kind,
                phrase: words[first...last].map(\.text).joined(separator: " "),
                start: words[first].start, end: words[last].end, weight: weight,
                negated: negated, asked: asked, words: last - first + 1,
                confuserOpen: openConfusers.contains { $0 <= m.start })
            finding.confidence = confidence
            finding.firm = firm
            results.append(finding)
        }
        return results.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    func isNegated(
        _ m: PatternMatch, tokens: [TokenNormalizer.Token], before: [PatternMatch], after: [PatternMatch], across: [PatternMatch],
        kept: [PatternMatch] = [], given: Given = Given()
    ) -> Bool {
        let breaks = model.clauseBreaks
        func clear(_ range: Range<Int>) -> Bool { !range.contains { breaks.contains(tokens[$0].stem) } }
        let scopeBefore = model.definition.negation.beforeScope
        let scopeAfter = model.definition.negation.afterScope
        for c in before where c.end <= m.start && m.start - c.end <= scopeBefore && clear(c.end..<m.start) {
            // "He won't stop screaming at me": a negated "stop" keeps it going.
            if c.end < m.start, Self.continuing.contains(tokens[c.end].stem) { continue }
            return true
        }
        // A cue inside the phrase's first words ("no one is hurt" matched from "one is hurt").
        for c in before where c.start < m.start && c.end > m.start { return true }
        // "He bought a gun last month": acquired or kept, it is here whatever time follows.
        let present = kept.contains { $0.end <= m.start && m.start - $0.end <= scopeBefore && clear($0.end..<m.start) }
        // "living in their van since last month": since then, so still now.
        for c in after where !present && c.start >= m.end && c.start - m.end <= scopeAfter && clear(m.end..<c.start)
            && !(c.start > 0 && tokens[c.start - 1].stem == Self.since) {
            return true
        }
        let scopeAcross = model.definition.negation.afterAcrossScope ?? 6
        func sentence(_ range: Range<Int>) -> Bool { !range.contains { tokens[$0].stem == TokenNormalizer.breakStem } }
        for c in across where c.start >= m.end && c.start - m.end <= scopeAcross && sentence(m.end..<c.start) {
            return true
        }
        // "I gave my old revolver to my son": handed on, said on both sides of it.
        for (before, after) in given.around
        where before.contains(where: { $0.end <= m.start && m.start - $0.end <= scopeBefore && clear($0.end..<m.start) })
            && after.contains(where: { $0.start >= m.end && $0.start - m.end <= scopeAcross && sentence(m.end..<$0.start) }) {
            return true
        }
        // "What if he shows up and starts yelling": supposed, not said to be so, to the end
        // of the supposed clause: its own subject may follow the cue, a new one ends it
        // ("if she ever leaves he'll shoot her", "what if he has a gun he has a gun right
        // here": recognised speech has no full stops).
        let scopeHypothetical = model.definition.negation.hypotheticalScope ?? 10
        func supposed(_ c: PatternMatch) -> Bool {
            guard c.end <= m.start, m.start - c.end <= scopeHypothetical, sentence(c.end..<m.start) else { return false }
            // the indicator's own first word counts too ("... leaves | he'll shoot her")
            return m.start == c.end || !((c.end + 1)...m.start).contains { Self.subjects.contains(tokens[$0].stem) }
        }
        if given.hypothetical.contains(where: supposed) { return true }
        // "... There's nothing like that here.": the same turn takes it back.
        let scopeTurn = model.definition.negation.afterTurnScope ?? 16
        if given.turn.contains(where: { $0.start >= m.end && $0.start - m.end <= scopeTurn }) { return true }
        return false
    }

    /// Matches of `templates` read past commas ("wait, no, sorry, it's a paintbrush"),
    /// in the positions of `tokens`.
    static func matchesIgnoringCommas(_ templates: [PhraseTemplate], in tokens: [TokenNormalizer.Token]) -> [PatternMatch] {
        let kept = tokens.indices.filter { !(tokens[$0].isBreak && tokens[$0].stem == TokenNormalizer.commaStem) }
        let plain = kept.map { tokens[$0] }
        return templates.flatMap { $0.matches(in: plain, maxEdits: 0) }.map {
            PatternMatch(start: kept[$0.start], end: kept[$0.end - 1] + 1, edits: $0.edits)
        }
    }

    /// Cue matches for the negations that look on both sides or across sentences.
    struct Given {
        var around: [(before: [PatternMatch], after: [PatternMatch])] = []
        var turn: [PatternMatch] = []
        var hypothetical: [PatternMatch] = []
    }

    static let since = TokenNormalizer.stems("since").first ?? "since"

    /// Words that open a new clause as its subject.
    static let subjects = Set(["he", "she", "they", "i", "we", "you", "it", "there"].flatMap(TokenNormalizer.stems))

    /// Verbs after which a negation means the thing goes on ("won't stop", "can't quit").
    static let continuing = Set(["stop", "quit"].flatMap(TokenNormalizer.stems))

    /// Token ranges spoken as a call-taker's question or instruction.
    func questionScopes(_ tokens: [TokenNormalizer.Token]) -> [Range<Int>] {
        var scopes: [Range<Int>] = []
        let limit = model.definition.questions.scope
        for opener in model.questionOpeners {
            for q in opener.matches(in: tokens, maxEdits: 0) {
                // The opener must begin its clause, after nothing but lead-in words.
                var i = q.start - 1
                var pause = false
                while i >= 0, tokens[i].stem == TokenNormalizer.commaStem || model.questionLeadIns.contains(tokens[i].stem) {
                    pause = pause || tokens[i].stem == TokenNormalizer.commaStem
                    i -= 1
                }
                var end = q.end
                while end < tokens.count, end - q.end < limit, !model.questionScopeBreaks.contains(tokens[end].stem) { end += 1 }
                // Typed text: a sentence that ends in "?" is a question to its end.
                let mark = tokens[end...].firstIndex(where: { $0.isBreak && $0.stem == TokenNormalizer.breakStem })
                let asked = mark.map { tokens[$0].isQuestionMark } ?? false
                // Typed text: a pause before the opener begins a clause when the sentence
                // ends in "?" ("When you say at each other's throats, is anybody getting
                // physical?", "Sir, I have to ask, are you planning to hurt him?").
                let opensClause = i < 0 || tokens[i].isBreak || model.questionScopeBreaks.contains(tokens[i].stem)
                guard opensClause || (pause && asked) else { continue }
                if let mark, asked { end = max(end, mark) }
                // Opened by a pause only, it reaches the next pause at most: "is there any
                // way you can send the police, he has a knife?" still says the knife.
                if !opensClause, let comma = tokens[q.end..<end].firstIndex(where: { $0.isBreak && $0.stem == TokenNormalizer.commaStem }) {
                    end = comma
                }
                scopes.append(q.start..<end)
                // Typed text: short questions that follow one ("Does he have any weapons?
                // Guns, knives?") belong to it.
                while end < tokens.count, tokens[end].isQuestionMark, let next = Self.followingQuestion(tokens, after: end) {
                    scopes.append(next)
                    end = next.upperBound
                }
            }
        }
        // Words only a call-taker says ("has he hurt you"), however the opening was heard.
        for phrase in model.takerPhrases {
            scopes += phrase.matches(in: tokens, maxEdits: 0).map { $0.start..<$0.end }
        }
        return scopes + echoedQuestions(tokens)
    }

    /// Typed text: a question the caller repeats states nothing, whoever says it: one of
    /// one to three words on its own ("A weapon? No, no weapon."), one answered no at once
    /// ("Is there a weapon? No, sir, nothing like that."), and one given as the
    /// call-taker's ("You asked does he have a knife?"). A caller's own question that is
    /// not answered no ("Can you send the police?") is still what it asks for.
    func echoedQuestions(_ tokens: [TokenNormalizer.Token]) -> [Range<Int>] {
        var sentences: [Range<Int>] = []
        var i = 0
        while i < tokens.count {
            var end = i
            while end < tokens.count, !(tokens[end].isBreak && tokens[end].stem == TokenNormalizer.breakStem) { end += 1 }
            sentences.append(i..<end)
            i = end + 1
        }
        var scopes: [Range<Int>] = []
        for (n, sentence) in sentences.enumerated() where sentence.upperBound < tokens.count && tokens[sentence.upperBound].isQuestionMark {
            let words = tokens[sentence].filter { !$0.isBreak }
            let answeredNo = n + 1 < sentences.count
                && tokens[sentences[n + 1]].first { !$0.isBreak }.map { Self.negativeReplies.contains($0.stem) } == true
            let givenAsAsked = words.first.map { Self.youStems.contains($0.stem) } == true
                && words.dropFirst().prefix(3).contains { Self.askStems.contains($0.stem) }
            if (1...3).contains(words.count) || answeredNo || givenAsAsked { scopes.append(sentence) }
        }
        return scopes
    }

    static let negativeReplies = Set(["no", "nope", "nah", "never", "none", "not"].flatMap(TokenNormalizer.stems))
    static let youStems = Set(["you", "you're", "youre"].flatMap(TokenNormalizer.stems))
    static let askStems = Set(["ask", "asked", "asking", "asks"].flatMap(TokenNormalizer.stems))

    /// The sentence after the `?` at `mark` when it is a short question too: at most
    /// five words, ending in `?`.
    static func followingQuestion(_ tokens: [TokenNormalizer.Token], after mark: Int) -> Range<Int>? {
        var end = mark + 1
        var words = 0
        while end < tokens.count, !(tokens[end].isBreak && tokens[end].stem == TokenNormalizer.breakStem) {
            if !tokens[end].isBreak { words += 1 }
            end += 1
        }
        guard words > 0, words <= 5, end < tokens.count, tokens[end].isQuestionMark else { return nil }
        return (mark + 1)..<end
    }

    /// Whether `words` begin with a confirming reply ("yes", "yeah he does").
    public func startsWithAffirmative(_ words: [RecognizedWord]) -> Bool {
        let tokens = TokenNormalizer.tokens(words.map(\.text))
        for template in model.affirmatives {
            if template.matches(in: tokens, maxEdits: 0).contains(where: { m in
                (0..<m.start).allSatisfy { model.questionLeadIns.contains(tokens[$0].stem) }
                    && !(m.end < tokens.count && ["not", "no", "never"].contains(tokens[m.end].stem))
            }) { return true }
        }
        return false
    }
}
