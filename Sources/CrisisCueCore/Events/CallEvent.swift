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
    case transcript(text: String, final: Bool, start: Double, end: Double, speaker: Speaker)
    case indicator(
        kind: String, category: String, phrase: String, start: Double, end: Double,
        negated: Bool, speaker: Speaker)
    case suggestion(action: SuggestedAction, reasons: [SuggestionReason], confidence: Double, details: SuggestionDetails?)
    case summary(CallSummary)
    case error(message: String)
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
        }
    }
}
