import CrisisCueCore
import Testing

@Suite("PanelState: what the telecommunicator sees, and the keys")
struct PanelStateTests {
    @Test("accept records the transfer once, with the reasons shown")
    func accept() {
        var s = PanelFixtures.state(PanelFixtures.transferCall)
        let e = s.handle(key: "a")
        #expect(e == .chose(.accept, .transfer, PanelFixtures.transferReasons, t: 27.0))
        #expect(s.handle(key: "a") == nil)
        #expect(s.choice == .accept)
    }

    @Test("dismiss hides the card; the same suggestion does not come back, new evidence does")
    func dismiss() {
        var s = PanelFixtures.state(PanelFixtures.transferCall)
        #expect(s.handle(key: "d") == .chose(.dismiss, .transfer, PanelFixtures.transferReasons, t: 27.0))
        #expect(s.visibleCard == nil)
        s.handle(PanelFixtures.transferSuggestion)
        #expect(s.visibleCard == nil)
        s.handle(CallEvent(call: "call-7", t: 30, payload: .suggestion(
            action: .transfer,
            reasons: PanelFixtures.transferReasons + [SuggestionReason(category: "welfare", phrase: "not eating", t: 29)],
            confidence: 0.9, details: nil)))
        #expect(s.visibleCard?.reasons.count == 2)
    }

    @Test("a safety veto always shows, even after the transfer was dismissed")
    func vetoAfterDismiss() {
        var s = PanelFixtures.state(Array(PanelFixtures.safetyCall.prefix(3)))
        _ = s.handle(key: "d")
        for e in PanelFixtures.safetyCall.dropFirst(3) { s.handle(e) }
        #expect(s.visibleCard?.action == .safety)
    }

    @Test("nothing to accept or dismiss without a card; p, r, ? and q do what they say")
    func keys() {
        var s = PanelFixtures.state(Array(PanelFixtures.transferCall.prefix(2)))
        #expect(s.handle(key: "a") == nil)
        #expect(s.handle(key: "d") == nil)
        #expect(s.handle(key: "p") == .togglePause)
        #expect(s.pipeline.paused)
        #expect(s.latency.count > 0)
        #expect(s.handle(key: "r") == nil)
        #expect(s.latency.count == 0)
        #expect(s.handle(key: "?") == nil && s.showHelp)
        #expect(s.handle(key: "x") == nil && !s.showHelp)
        #expect(s.handle(key: "q") == .quit)
    }

    @Test("indicators attach to the line they were heard in")
    func highlights() {
        let s = PanelFixtures.state(PanelFixtures.transferCall)
        let line = s.lines.first { $0.text.hasPrefix("he stopped") }
        #expect(line?.highlights.map(\.phrase) == ["stopped taking his medication"])
        #expect(s.lines.first { $0.text.hasPrefix("does he") }?.highlights.first?.negated == true)
    }

    @Test("stereo: each side's utterance in progress shows on its own; a final closes only its speaker's")
    func partialsPerSpeaker() {
        func transcript(_ text: String, _ final: Bool, _ speaker: Speaker, _ t: Double) -> CallEvent {
            CallEvent(call: "c", t: t, payload: .transcript(text: text, final: final, start: t - 1, end: t, speaker: speaker))
        }
        var s = PanelState(call: "c")
        s.handle(transcript("he stopped taking", false, .caller, 1))
        s.handle(transcript("okay", false, .taker, 1.1))
        s.handle(transcript("he stopped taking his meds", false, .caller, 1.2))
        #expect(s.partials.map(\.speaker) == [.caller, .taker])
        #expect(s.partials.first?.text == "he stopped taking his meds")
        s.handle(transcript("he stopped taking his meds", true, .caller, 1.5))
        // The caller's final line takes its indicator though the call-taker is still talking.
        s.handle(CallEvent(call: "c", t: 1.5, payload: .indicator(
            kind: "crisis", category: "mental_health", phrase: "stopped taking his meds", start: 0.5, end: 1.4,
            negated: false, speaker: .caller)))
        #expect(s.partials.map(\.speaker) == [.taker] && s.isPartialShown)
        #expect(s.lines.last?.highlights.map(\.phrase) == ["stopped taking his meds"])
        s.handle(transcript("okay sir", true, .taker, 1.8))
        #expect(!s.isPartialShown)
    }
}
