/// Who said something on the call.
public enum Speaker: String, Codable, Sendable, CaseIterable {
    case caller, taker, unknown
}

/// One reason behind a suggestion: an indicator as heard, and when.
public struct SuggestionReason: Codable, Equatable, Sendable {
    public var category: String
    public var phrase: String
    public var t: Double

    public init(category: String, phrase: String, t: Double) {
        self.category = category
        self.phrase = phrase
        self.t = t
    }
}

/// The product's decision, exactly as shared/DOMAIN.md defines it.
public enum SuggestedAction: String, Codable, Sendable, CaseIterable {
    case transfer, safety, none
}

/// What happened on a call: the one event model that the JSON Lines output, the text
/// output, the side panel, reports and tests all read.
public enum CallEventPayload: Equatable, Sendable {
    /// `confidences`: each word's posterior, where the recognizer gave them (finals).
    case transcript(text: String, final: Bool, start: Double, end: Double, speaker: Speaker, confidences: [Double]? = nil)
    /// `confidence`: the least recognizer confidence of the phrase's words, where known.
    case indicator(
        kind: String, category: String, phrase: String, start: Double, end: Double,
        negated: Bool, speaker: Speaker, confidence: Double? = nil)
    case suggestion(action: SuggestedAction, reasons: [SuggestionReason], confidence: Double, details: SuggestionDetails?)
    case summary(CallSummary)
    case error(message: String)
    /// Something happened to a live input (overrun, unplug, replug): shown, never hidden.
    case device(SourceNotice)
    /// The telecommunicator accepted (transferred) or dismissed the suggestion shown.
    case operatorChoice(choice: PanelState.Choice, action: SuggestedAction, reasons: [SuggestionReason])
}

/// Where a suggestion sends the call (filled by the intent stage's resource model).
public struct SuggestionDetails: Codable, Equatable, Sendable {
    public var service: String?
    public var resource: String?
    public var blocking: [String]?

    public init(service: String? = nil, resource: String? = nil, blocking: [String]? = nil) {
        self.service = service
        self.resource = resource
        self.blocking = blocking
    }
}

/// The last event of each call.
public struct CallSummary: Codable, Equatable, Sendable {
    public var action: SuggestedAction
    public var firstTransferT: Double?
    public var firstSafetyT: Double?
    public var audioSeconds: Double
    public var processingSeconds: Double
    public var rtf: Double
    /// Live capture's figures (`listen`); nil for recordings.
    public var capture: CaptureSummary?
    /// The recording's content hash, in an archive run's per-call log (resume checks it).
    public var inputHash: String?

    public init(
        action: SuggestedAction, firstTransferT: Double?, firstSafetyT: Double?,
        audioSeconds: Double, processingSeconds: Double
    ) {
        self.action = action
        self.firstTransferT = firstTransferT
        self.firstSafetyT = firstSafetyT
        self.audioSeconds = audioSeconds
        self.processingSeconds = processingSeconds
        self.rtf = audioSeconds > 0 ? processingSeconds / audioSeconds : 0
    }
}

/// How live capture went over a session.
public struct CaptureSummary: Codable, Equatable, Sendable {
    public var device: String
    public var sampleRate: Int
    public var channels: Int
    public var periodFrames: Int
    public var overruns: Int
    public var droppedSeconds: Double
    /// Times the device went away (and was reopened, or not by the end).
    public var losses: Int
    /// Capture-to-decoder hand-off, milliseconds: from the capture thread's commit (or
    /// the decoder asking for audio, if later) to the decoder holding the period.
    public var handoffP50Ms: Double
    public var handoffP99Ms: Double
    public var handoffMaxMs: Double
    /// Time periods spent in the ring, including waiting while the decoder was busy with
    /// earlier audio (an utterance's final hypothesis), p99 in milliseconds.
    public var queueP99Ms: Double
    /// CPU of the capture thread, percent of one core.
    public var captureCPUPercent: Double

    public init(
        device: String, sampleRate: Int, channels: Int, periodFrames: Int, overruns: Int, droppedSeconds: Double,
        losses: Int, handoffP50Ms: Double, handoffP99Ms: Double, handoffMaxMs: Double, queueP99Ms: Double,
        captureCPUPercent: Double
    ) {
        self.device = device
        self.sampleRate = sampleRate
        self.channels = channels
        self.periodFrames = periodFrames
        self.overruns = overruns
        self.droppedSeconds = droppedSeconds
        self.losses = losses
        self.handoffP50Ms = handoffP50Ms
        self.handoffP99Ms = handoffP99Ms
        self.handoffMaxMs = handoffMaxMs
        self.queueP99Ms = queueP99Ms
        self.captureCPUPercent = captureCPUPercent
    }
}

/// An event of one call: `call` names the input, `t` is the seconds of call audio
/// consumed when the event was emitted.
public struct CallEvent: Equatable, Sendable {
    public var call: String
    public var t: Double
    public var payload: CallEventPayload

    public init(call: String, t: Double, payload: CallEventPayload) {
        self.call = call
        self.t = t
        self.payload = payload
    }

    public var type: String {
        switch payload {
        case .transcript: "transcript"
        case .indicator: "indicator"
        case .suggestion: "suggestion"
        case .summary: "summary"
        case .error: "error"
        case .device: "device"
        case .operatorChoice: "operator"
        }
    }
}
