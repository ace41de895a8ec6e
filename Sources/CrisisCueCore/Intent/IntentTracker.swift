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
///
/// On mixed audio the recogniser often garbles a call-taker's question ("Any trouble
/// breathing?" heard as "buddy trouble breathing"), so the question's exclusion reads
/// as a statement. With `policy.exclusionReplyWait`, an exclusion heard on mixed audio
/// waits for the first words of the next utterance: a denial ("No, nothing like that")
/// reports it as denied, not evidence; anything else, or no reply within the wait,
/// reports it as evidence. The caller's own "he has a knife" costs that wait, never the
/// veto.
public struct IntentTracker: Sendable {
    public let matcher: IntentMatcher
    /// The speaker the channel gives (a stereo side), or `unknown` for mixed audio.
    public let channelSpeaker: Speaker

    /// Findings of the previous partial of the current utterance, with how many
    /// consecutive partials showed each.
    private var candidates: [(finding: IntentFinding, seen: Int)] = []
    /// Findings already reported in the current utterance.
    private var reported: [IntentFinding] = []
    /// Question findings of the last finished utterance, waiting for the reply.
    private var pendingQuestions: [IntentFinding] = []
    private var replyChecked = false
    /// Exclusions waiting for the reply, with the end of their utterance (nil while it
    /// goes on).
    private var held: [(finding: IntentFinding, utteranceEnd: Double?)] = []

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
        var reports = reply(to: hypothesis)
        if !replyChecked, !pendingQuestions.isEmpty, let decided = reply(hypothesis) {
            replyChecked = true
            if decided {
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
        var next: [(finding: IntentFinding, seen: Int)] = []
        for f in findings {
            let seen = (candidates.first { Self.same($0.finding, f) }?.seen ?? 0) + 1
            next.append((f, seen))
            guard !reported.contains(where: { Self.same($0, f) }) else { continue }
            // In a partial, a phrase also needs a few words after it, where a negation
            // that follows ("he had a gun years ago") would show.
            let settled = seen >= needed && followingWords(f, in: hypothesis) >= matcher.model.policy.partialLookahead
            if hypothesis.isFinal || settled {
                reported.append(f)
                if waitsForReply(f, who) {
                    held.append((f, nil))
                    continue
                }
                reports.append(Report(finding: f, speaker: who != .unknown ? who : f.asked ? .taker : .unknown))
            }
        }
        candidates = next
        if hypothesis.isFinal {
            let asked = findings.filter(\.asked)
            // "Does he have any weapons?": the question's "any" reads as a negation; the
            // reply decides.
            pendingQuestions = asked
            replyChecked = false
            // A held exclusion settled on partials that the final hypothesis no longer
            // holds was the recogniser's passing guess: it never counted, and goes.
            held.removeAll { h in h.utteranceEnd == nil && !findings.contains { Self.same($0, h.finding) } }
            for i in held.indices where held[i].utteranceEnd == nil { held[i].utteranceEnd = hypothesis.end }
            candidates = []
            reported = []
        }
        return reports
    }

    /// Held exclusions whose reply did not come within the wait, at `t` seconds of audio:
    /// they count.
    public mutating func advance(to t: Double) -> [Report] {
        guard let wait = matcher.model.policy.exclusionReplyWait else { return [] }
        return release { end in end.map { t > $0 + wait } ?? false }
    }

    /// Whether an exclusion waits for its reply.
    public var isHolding: Bool { !held.isEmpty }

    /// The end of the call: whatever still waits counts.
    public mutating func finish() -> [Report] {
        release { _ in true }
    }

    private func waitsForReply(_ f: IntentFinding, _ who: Speaker) -> Bool {
        who == .unknown && f.kind == .safety && f.counts && (matcher.model.policy.exclusionReplyWait ?? 0) > 0
    }

    /// The held exclusions of finished utterances, decided by the first words of the
    /// utterance after them.
    private mutating func reply(to hypothesis: Hypothesis) -> [Report] {
        let due = { (end: Double?) in end.map { hypothesis.start >= $0 - 0.005 } ?? false }
        guard held.contains(where: { due($0.utteranceEnd) }) else { return [] }
        if matcher.startsWithDenial(hypothesis.words) {
            let answer = hypothesis.words.prefix(3).map(\.text).joined(separator: " ")
            return release(due).map { r in
                var r = r
                r.finding.negated = true
                r.finding.phrase = "\(r.finding.phrase) (denied: \"\(answer)\")"
                return r
            }
        }
        return hypothesis.words.count >= 2 || hypothesis.isFinal ? release(due) : []
    }

    private mutating func release(_ which: (Double?) -> Bool) -> [Report] {
        let out = held.filter { which($0.utteranceEnd) }.map { Report(finding: $0.finding, speaker: .unknown) }
        held.removeAll { which($0.utteranceEnd) }
        return out
    }

    /// True or false once the reply's first words decide it; nil while too short to tell.
    private func reply(_ hypothesis: Hypothesis) -> Bool? {
        if matcher.startsWithAffirmative(hypothesis.words) { return true }
        return hypothesis.words.count >= 2 || hypothesis.isFinal ? false : nil
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
