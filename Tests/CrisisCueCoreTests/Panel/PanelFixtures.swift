import CrisisCueCore

/// Event sequences of a call as the pipeline emits them, for the panel's tests.
enum PanelFixtures {
    static func transcript(_ text: String, final: Bool, t: Double, start: Double, end: Double, speaker: Speaker = .unknown) -> CallEvent {
        CallEvent(call: "call-7", t: t, payload: .transcript(text: text, final: final, start: start, end: end, speaker: speaker))
    }

    static func indicator(_ kind: String, _ category: String, _ phrase: String, t: Double, negated: Bool = false) -> CallEvent {
        CallEvent(call: "call-7", t: t, payload: .indicator(
            kind: kind, category: category, phrase: phrase, start: t - 2, end: t - 0.3, negated: negated, speaker: .caller))
    }

    static let transferReasons = [SuggestionReason(category: "mental_health", phrase: "stopped taking his medication", t: 12.9)]

    static let transferSuggestion = CallEvent(call: "call-7", t: 15.0, payload: .suggestion(
        action: .transfer, reasons: transferReasons, confidence: 0.8,
        details: SuggestionDetails(service: "mental-health care (crisis counselor)", resource: "on-site 911 social worker")))

    /// A brother off his medication: two lines, a taker's question, a transfer.
    static var transferCall: [CallEvent] {
        [
            transcript("nine one one what's the location of your emergency", final: true, t: 4.4, start: 0.5, end: 3.9, speaker: .taker),
            transcript("fourteen twenty walnut street i'm calling about my brother", final: true, t: 9.9, start: 4.8, end: 9.6, speaker: .caller),
            transcript("he stopped taking his medication", final: false, t: 14.0, start: 12.4, end: 13.8, speaker: .caller),
            indicator("crisis", "mental_health", "stopped taking his medication", t: 15.0),
            transferSuggestion,
            transcript("he stopped taking his medication about two weeks ago and now he's convinced the neighbors put cameras in the smoke detectors",
                       final: true, t: 21.9, start: 12.4, end: 21.6, speaker: .caller),
            transcript("does he have any weapons", final: true, t: 24.4, start: 22.1, end: 23.9, speaker: .taker),
            indicator("safety", "weapon", "weapons", t: 24.4, negated: true),
            transcript("no he doesn't have anything like that", final: false, t: 27.0, start: 24.8, end: 26.9, speaker: .caller),
        ]
    }

    /// A father drunk and threatening to shoot: transfer, then the veto.
    static var safetyCall: [CallEvent] {
        [
            transcript("nine one one what's happening there", final: true, t: 3.9, start: 0.7, end: 3.7, speaker: .taker),
            indicator("crisis", "substance_use", "drunk", t: 5.8),
            CallEvent(call: "call-7", t: 5.8, payload: .suggestion(
                action: .transfer, reasons: [SuggestionReason(category: "substance_use", phrase: "drunk", t: 5.0)], confidence: 0.85,
                details: SuggestionDetails(service: "addiction treatment", resource: "on-site 911 social worker"))),
            indicator("safety", "weapon", "going to shoot", t: 8.1),
            CallEvent(call: "call-7", t: 8.1, payload: .suggestion(
                action: .safety,
                reasons: [SuggestionReason(category: "weapon", phrase: "going to shoot", t: 6.9),
                          SuggestionReason(category: "substance_use", phrase: "drunk", t: 5.0)],
                confidence: 0.9,
                details: SuggestionDetails(service: "addiction treatment", resource: "co-response (police with the embedded social worker)", blocking: ["weapon"]))),
            transcript("my dad's drunk and he's saying he's going to shoot the neighbor over their fence", final: true, t: 11.2, start: 4.3, end: 10.9, speaker: .caller),
        ]
    }

    static func state(_ events: [CallEvent], level: Double = -23, source: String = "tune-078-tel.wav", rate: Int = 8000) -> PanelState {
        var s = PanelState(call: "call-7")
        s.pipeline.source = source
        s.pipeline.sampleRate = rate
        for e in events { s.handle(e) }
        s.monitor(levelDB: level, t: events.last?.t ?? 0)
        return s
    }
}
