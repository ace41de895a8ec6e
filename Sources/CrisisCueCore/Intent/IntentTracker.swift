/// Follows the intent of a call as its hypotheses stream in, and decides which
/// indicators are settled enough to report.
///
/// A pure state machine over hypotheses. An indicator found in a final hypothesis is
/// reported at once; one found in a partial hypothesis is reported once it has shown in
/// `stablePartials` consecutive partials (a word the recogniser is still changing its mind
/// about must not move the suggestion). Each indicator is reported once per utterance.
/// A call-taker's question about an indicator ("does he have any weapons?") is reported
/// as the call-taker's; if the next utterance starts with a confirmation ("yes, he
/// does"), the indicator is reported again as the caller's evidence.
public struct IntentTracker: Sendable {
    public let matcher: IntentMatcher
    /// The speaker the channel gives (a stereo side), or `unknown` for mixed audio.
    public let channelSpeaker: Speaker

    /// One speaker's utterance in progress. Stereo calls decode each side apart, so the
    /// caller's and the call-taker's utterances interleave; each keeps its own.
    private struct Utterance {
        /// Findings of the previous partial, with how many consecutive partials showed each.
        var candidates: [(finding: IntentFinding, seen: Int)] = []
        /// Findings already reported in this utterance.
        var reported: [IntentFinding] = []
    }
    private var utterances: [Speaker: Utterance] = [:]
    /// Question findings of the last finished utterance, waiting for the reply.
    private var pendingQuestions: [IntentFinding] = []
    private var replyChecked = false

    public init(matcher: IntentMatcher, channelSpeaker: Speaker = .unknown) {
        self.matcher = matcher
        self.channelSpeaker = channelSpeaker
    }

    /// An indicator to report, with the speaker it is attributed to.
    public struct Report: Equatable, Sendable {
        public var finding: IntentFinding
        public var speaker: Speaker
    }

    /// Reports settled by `hypothesis`. `speaker` overrides the channel's speaker when
    /// the input says who spoke (a typed transcript with `caller:` / `taker:` lines).
    public mutating func handle(_ hypothesis: Hypothesis, speaker given: Speaker? = nil) -> [Report] {
        let who = given ?? channelSpeaker
        var reports: [Report] = []
        let policy = matcher.model.policy
        // The reply is the other side's: on a stereo call the call-taker's own next words
        // ("Guns, knives?") are not an answer.
        if !replyChecked, !pendingQuestions.isEmpty, who != .taker, hypothesis.isFinal || policy.repliesOnFinals != true,
            let decided = reply(hypothesis) {
            replyChecked = true
            if decided {
                // "Is he awake and breathing? Any seizures?" "Yeah, he's wide awake... No
                // seizures.": the reply itself denies this part of the question.
                let denied = Set(matcher.findings(in: hypothesis.words, questionsApply: false, hypotheticals: false).filter(\.negated).map(\.category))
                pendingQuestions.removeAll { denied.contains($0.category) }
                let answer = hypothesis.words.prefix(3).map(\.text).joined(separator: " ")
                for var q in pendingQuestions {
                    q.phrase = "\(answer) (to \"\(q.phrase)\")"
                    q.asked = false
                    q.negated = false
                    q.start = hypothesis.start
                    q.end = hypothesis.words.prefix(3).last?.end ?? hypothesis.end
                    reports.append(Report(finding: q, speaker: who == .unknown ? .unknown : .caller))
                }
            }
            pendingQuestions = []
        }

        var findings = matcher.findings(in: hypothesis.words, questionsApply: who == .unknown)
        if who == .taker {
            for i in findings.indices { findings[i].asked = true }
        }
        let needed = matcher.model.policy.stablePartials
        var utterance = utterances[who] ?? Utterance()
        var next: [(finding: IntentFinding, seen: Int)] = []
        for f in findings {
            let seen = (utterance.candidates.first { Self.same($0.finding, f) }?.seen ?? 0) + 1
            next.append((f, seen))
            guard !utterance.reported.contains(where: { Self.same($0, f) }) else { continue }
            // In a partial, a phrase also needs a few words after it, where a negation
            // that follows ("he had a gun years ago") would show.
            // A short exclusion ("knife") waits for the final, which usually revises a
            // misheard one away.
            let shortSafety = f.kind == .safety && f.words < (policy.partialSafetyMinWords ?? 1)
                && f.phrase.filter(\.isLetter).count < (policy.partialSafetyMinLetters ?? Int.max)
            let long = policy.partialLongPhraseWords.map { f.words >= $0 } ?? false
            let lookahead = shortSafety ? policy.partialSafetyLookahead : long ? 0 : policy.partialLookahead
            // A pause after the phrase stands in for the words (`partial_pause_lookahead`).
            // A crisis phrase inside a confuser still under way at the partial's end ("she
            // finished a whole bottle" ... "of wine") is left to the final. Not an
            // exclusion: a partial sometimes holds a true one that the final loses.
            let settled = !(f.confuserOpen && f.kind == .crisis)
                && (lookahead.map { seen >= needed && (followingWords(f, in: hypothesis) >= $0 || paused(after: f, in: hypothesis)) } ?? false)
            if hypothesis.isFinal || settled {
                utterance.reported.append(f)
                reports.append(Report(finding: f, speaker: who != .unknown ? who : f.asked ? .taker : .unknown))
            }
        }
        utterance.candidates = next
        if hypothesis.isFinal {
            // A question the speaker went on past ("Weapons? No, one of them's holding a
            // leaf blower, that's it.") is not waiting for the next turn's reply.
            let asked = findings.filter { $0.asked && followingWords($0, in: hypothesis) <= 6 }
            // "Does he have any weapons?": the question's "any" reads as a negation; the
            // reply decides. The caller's own finals neither ask nor cancel a question
            // (its reply was checked above).
            if who != .caller {
                pendingQuestions = asked
                replyChecked = false
            }
            utterance = Utterance()
        }
        utterances[who] = utterance
        return reports
    }

    /// True or false once the reply's first words decide it; nil while too short to tell.
    private func reply(_ hypothesis: Hypothesis) -> Bool? {
        if matcher.startsWithAffirmative(hypothesis.words) { return true }
        return hypothesis.words.count >= 2 || hypothesis.isFinal ? false : nil
    }

    /// Whether the recognizer has decoded `partial_pause_lookahead` seconds past the phrase
    /// and heard no word there.
    private func paused(after f: IntentFinding, in h: Hypothesis) -> Bool {
        guard let pause = matcher.model.policy.partialPauseLookahead, let heard = h.heardUntil else { return false }
        return followingWords(f, in: h) == 0 && heard - f.end >= pause
    }

    private func followingWords(_ f: IntentFinding, in h: Hypothesis) -> Int {
        h.words.filter { $0.start >= f.end - 0.005 }.count
    }

    /// The same indicator in two hypotheses of one utterance: same category, verdicts and
    /// roughly the same place (word times shift a little as the hypothesis grows).
    static func same(_ a: IntentFinding, _ b: IntentFinding) -> Bool {
        a.category == b.category && a.negated == b.negated && a.asked == b.asked && abs(a.start - b.start) <= 0.35
    }
}
