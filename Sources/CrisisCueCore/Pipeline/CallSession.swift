import Foundation

/// The per-call state between the recognizer and the outputs: turns recognizer outputs
/// into events, attributes speakers, and builds the summary.
///
/// With an intent model it also runs the intent stage: indicators found in each
/// hypothesis (`IntentTracker`) feed the suggestion card (`SuggestionCard`), and every
/// change of suggestion becomes an event as soon as the hypothesis that caused it.
///
/// Pure: no clocks, no I/O. The runner tells it the audio time of each output.
public struct CallSession: Sendable {
    public let call: String
    /// Who is speaking on the audio being recognised, when the input says so (a stereo
    /// channel chosen as the caller's side); `unknown` for mixed audio.
    public let channelSpeaker: Speaker
    public private(set) var events: Int = 0
    public private(set) var action: SuggestedAction = .none
    public private(set) var firstTransferT: Double?
    public private(set) var firstSafetyT: Double?

    private var tracker: IntentTracker?
    private var card: SuggestionCard?

    /// `intent` nil runs recognition only (every summary says `none`); `callStart` is the
    /// wall-clock time the call began, for shift-dependent resources.
    public init(call: String, channelSpeaker: Speaker = .unknown, intent: IntentModel? = nil, callStart: Date = Date()) {
        self.call = call
        self.channelSpeaker = channelSpeaker
        if let intent {
            tracker = IntentTracker(matcher: IntentMatcher(model: intent), channelSpeaker: channelSpeaker)
            card = SuggestionCard(model: intent, callStart: callStart)
        }
    }

    /// The evidence behind the current suggestion.
    public var evidence: (crisis: [SuggestionCard.Evidence], safety: [SuggestionCard.Evidence]) {
        (card?.crisis ?? [], card?.safety ?? [])
    }

    /// Events for one recognizer output, emitted when `t` seconds of audio were consumed.
    /// `speaker` says who spoke when the input knows it (typed transcripts).
    public mutating func handle(_ output: RecognizerOutput, at t: Double, speaker: Speaker? = nil) -> [CallEvent] {
        switch output {
        case .speechStarted:
            return []
        case .partial(let h), .final(let h):
            guard !h.words.isEmpty else { return [] }
            var out = [CallEvent(call: call, t: t, payload: .transcript(
                text: h.text, final: h.isFinal, start: h.start, end: h.end, speaker: speaker ?? channelSpeaker))]
            events += 1
            out += intent(h, at: t, speaker: speaker)
            return out
        }
    }

    /// Events due at `t` seconds of audio with no new hypothesis: an exclusion whose
    /// reply did not come in time (`IntentTracker.advance`).
    public mutating func advance(to t: Double) -> [CallEvent] {
        guard tracker != nil else { return [] }
        let reports = tracker!.advance(to: t)
        guard !reports.isEmpty else { return [] }
        return apply(reports, at: t)
    }

    /// The end of the call's audio: evidence still waiting is decided. Call before
    /// `summary`.
    public mutating func finish(at t: Double) -> [CallEvent] {
        guard tracker != nil else { return [] }
        return apply(tracker!.finish(), at: t)
    }

    private mutating func intent(_ h: Hypothesis, at t: Double, speaker: Speaker?) -> [CallEvent] {
        guard tracker != nil else { return [] }
        return apply(tracker!.handle(h, speaker: speaker), at: t)
    }

    private mutating func apply(_ reports: [IntentTracker.Report], at t: Double) -> [CallEvent] {
        guard var card, let tracker else { return [] }
        defer { self.card = card }
        var out: [CallEvent] = []
        card.holding = tracker.isHolding
        // Exclusions first: a hypothesis that brings both must never show `transfer`,
        // not even for an instant.
        for report in reports.filter({ $0.finding.kind == .safety }) + reports.filter({ $0.finding.kind == .crisis }) {
            let f = report.finding
            out.append(CallEvent(call: call, t: t, payload: .indicator(
                kind: f.kind.rawValue, category: f.category, phrase: f.phrase, start: f.start, end: f.end,
                negated: f.negated, speaker: report.speaker)))
            guard f.counts else { continue }
            var evidence = [SuggestionCard.Evidence(category: f.category, kind: f.kind, phrase: f.phrase, t: f.start, weight: f.weight)]
            if let implied = card.model.category(f.category)?.implies, let c = card.model.category(implied) {
                evidence.append(.init(category: c.id, kind: c.kind, phrase: f.phrase, t: f.start, weight: f.weight))
            }
            for e in evidence {
                if let change = card.handle(e) { out.append(suggestion(change, at: t)) }
            }
        }
        if let change = card.reconsider(at: t) { out.append(suggestion(change, at: t)) }
        events += out.count
        return out
    }

    private mutating func suggestion(_ change: SuggestionCard.Change, at t: Double) -> CallEvent {
        action = change.action
        if change.action == .transfer && firstTransferT == nil { firstTransferT = t }
        if change.action == .safety && firstSafetyT == nil { firstSafetyT = t }
        return CallEvent(call: call, t: t, payload: .suggestion(
            action: change.action, reasons: change.reasons, confidence: change.confidence, details: change.details))
    }

    /// The summary, the call's last event.
    public func summary(audioSeconds: Double, processingSeconds: Double) -> CallEvent {
        CallEvent(call: call, t: audioSeconds, payload: .summary(CallSummary(
            action: action, firstTransferT: firstTransferT, firstSafetyT: firstSafetyT,
            audioSeconds: audioSeconds, processingSeconds: processingSeconds)))
    }
}
