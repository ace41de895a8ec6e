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
    /// The call classifier's view of the call, when the model has one: it decides the
    /// suggestion, the rules' card keeps the evidence.
    private var classified: CallClassifier.Call?
    /// The classifier's last reading of the call (at the last final hypothesis).
    private var assessment: (probabilities: CallClassifier.Probabilities, words: [String])?
    /// The exclusions the rules heard (distinct phrases) that the card on screen names.
    private var exclusionsShown = 0
    /// Since when the classifier has decided `transfer` at every reading while `safety`
    /// stands (`lift_safety_after`).
    private var liftingSince: Double?

    /// `intent` nil runs recognition only (every summary says `none`); `callStart` is the
    /// wall-clock time the call began, for shift-dependent resources.
    public init(call: String, channelSpeaker: Speaker = .unknown, intent: IntentModel? = nil, callStart: Date = Date()) {
        self.call = call
        self.channelSpeaker = channelSpeaker
        if let intent {
            tracker = IntentTracker(matcher: IntentMatcher(model: intent), channelSpeaker: channelSpeaker)
            card = SuggestionCard(model: intent, callStart: callStart)
            if let c = intent.classifier, intent.definition.classifier != nil { classified = CallClassifier.Call(c) }
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
                text: h.text, final: h.isFinal, start: h.start, end: h.end, speaker: speaker ?? channelSpeaker,
                confidences: h.isFinal ? h.confidences : nil))]
            out += intent(h, at: t, speaker: speaker)
            events += out.count
            return out
        }
    }

    private mutating func intent(_ h: Hypothesis, at t: Double, speaker: Speaker?) -> [CallEvent] {
        guard var tracker, var card else { return [] }
        defer {
            self.tracker = tracker
            self.card = card
        }
        var out: [CallEvent] = []
        // Exclusions first: a hypothesis that brings both must never show `transfer`,
        // not even for an instant.
        let reports = tracker.handle(h, speaker: speaker)
        for report in reports.filter({ $0.finding.kind == .safety }) + reports.filter({ $0.finding.kind == .crisis }) {
            let f = report.finding
            out.append(CallEvent(call: call, t: t, payload: .indicator(
                kind: f.kind.rawValue, category: f.category, phrase: f.phrase, start: f.start, end: f.end,
                negated: f.negated, speaker: report.speaker, confidence: f.confidence)))
            guard f.counts else { continue }
            var evidence = [SuggestionCard.Evidence(category: f.category, kind: f.kind, phrase: f.phrase, t: f.start, weight: f.weight, firm: f.firm)]
            if let implied = card.model.category(f.category)?.implies, let c = card.model.category(implied) {
                evidence.append(.init(category: c.id, kind: c.kind, phrase: f.phrase, t: f.start, weight: f.weight))
            }
            for e in evidence {
                guard let change = card.handle(e), classified == nil else { continue }
                action = change.action
                if change.action == .transfer && firstTransferT == nil { firstTransferT = t }
                if change.action == .safety && firstSafetyT == nil { firstSafetyT = t }
                out.append(CallEvent(call: call, t: t, payload: .suggestion(
                    action: change.action, reasons: change.reasons, confidence: change.confidence, details: change.details)))
            }
        }
        if var classified, let policy = card.model.definition.classifier {
            defer { self.classified = classified }
            if h.isFinal { classified.commit(h.words) }
            let settled = policy.onPartialIndicators == true && reports.contains { $0.finding.counts }
            if h.isFinal || policy.onPartials == true || settled {
                assessment = classified.assess(partial: h.isFinal ? "" : h.text)
            } else if !(policy.rulesUntilConfident == true && !reports.isEmpty) {
                return out
            }
            let crisisHeard = card.crisisWeight >= card.model.policy.transferThreshold - 1e-9
            var next = policy.decide(
                assessment?.probabilities, current: action, rules: card.action, crisisHeard: crisisHeard, exclusionHeard: !card.safety.isEmpty,
                exclusionCategories: Set(card.safety.map(\.category)), firmExclusionHeard: card.safety.contains { $0.firm })
            if let hold = policy.liftSafetyAfter, action == .safety, next == .transfer {
                let since = liftingSince ?? t
                liftingSince = t - since < hold ? since : nil
                if t - since < hold { next = .safety }
            } else {
                liftingSince = nil
            }
            if next != action {
                action = next
                if next == .transfer && firstTransferT == nil { firstTransferT = t }
                if next == .safety && firstSafetyT == nil { firstSafetyT = t }
                let p = assessment?.probabilities
                let confident = p.map { max($0.transfer, $0.safety, $0.none) >= policy.leaveNoneAt } ?? false
                // The event always shows the suggestion decided. A classifier not yet
                // confident may still turn a transfer into `safety` (P(safety) above
                // `safety_above`) where the rules' own card says `transfer`: the card
                // then shows `safety` with the classifier's words, never the rules' transfer.
                let change = if let p, confident || next != card.action {
                    card.change(showing: next, at: t, confidence: p[next], classifierWords: assessment?.words ?? [])
                } else {
                    card.change(at: t)
                }
                exclusionsShown = Set(card.safety.map(\.phrase)).count
                out.append(CallEvent(call: call, t: t, payload: .suggestion(
                    action: change.action, reasons: change.reasons, confidence: change.confidence, details: change.details)))
            } else if next == .transfer, let p = assessment?.probabilities, Set(card.safety.map(\.phrase)).count > exclusionsShown {
                // A danger the rules hear while a transfer stands is overruled, never
                // silently: the card is updated in place to name it ("heard 'pistol', but
                // the call as a whole reads as a transfer"), so the telecommunicator sees it
                // (a dismissed card comes back with it). Before stop 38 the card kept its
                // old reasons when the suggestion did not change.
                let change = card.change(showing: .transfer, at: t, confidence: p.transfer, classifierWords: assessment?.words ?? [])
                exclusionsShown = Set(card.safety.map(\.phrase)).count
                out.append(CallEvent(call: call, t: t, payload: .suggestion(
                    action: change.action, reasons: change.reasons, confidence: change.confidence, details: change.details)))
            }
        }
        return out
    }

    /// The summary, the call's last event.
    public func summary(audioSeconds: Double, processingSeconds: Double) -> CallEvent {
        CallEvent(call: call, t: audioSeconds, payload: .summary(CallSummary(
            action: action, firstTransferT: firstTransferT, firstSafetyT: firstSafetyT,
            audioSeconds: audioSeconds, processingSeconds: processingSeconds)))
    }
}
