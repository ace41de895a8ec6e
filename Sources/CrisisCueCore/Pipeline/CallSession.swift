/// The per-call state between the recognizer and the outputs: turns recognizer outputs
/// into events, attributes speakers, and builds the summary.
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

    public init(call: String, channelSpeaker: Speaker = .unknown) {
        self.call = call
        self.channelSpeaker = channelSpeaker
    }

    /// Events for one recognizer output, emitted when `t` seconds of audio were consumed.
    public mutating func handle(_ output: RecognizerOutput, at t: Double) -> [CallEvent] {
        switch output {
        case .speechStarted:
            return []
        case .partial(let h), .final(let h):
            guard !h.words.isEmpty else { return [] }
            events += 1
            return [CallEvent(call: call, t: t, payload: .transcript(
                text: h.text, final: h.isFinal, start: h.start, end: h.end, speaker: channelSpeaker))]
        }
    }

    /// The summary, the call's last event.
    public func summary(audioSeconds: Double, processingSeconds: Double) -> CallEvent {
        CallEvent(call: call, t: audioSeconds, payload: .summary(CallSummary(
            action: action, firstTransferT: firstTransferT, firstSafetyT: firstSafetyT,
            audioSeconds: audioSeconds, processingSeconds: processingSeconds)))
    }
}
