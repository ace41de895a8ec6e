/// Everything the side panel shows, built from the call's events and the operator's keys.
///
/// Pure: the driver feeds it events (from the pipeline) and keys (from the terminal),
/// and renders it with `PanelRenderer`. `handle(key:)` returns what the key did, so that
/// accept/dismiss can be written to the session's log.
public struct PanelState: Sendable {
    /// A final line of the transcript, with the indicator phrases heard in it.
    public struct Line: Equatable, Sendable {
        public var t: Double
        public var speaker: Speaker
        public var text: String
        public var highlights: [Highlight]
    }

    /// An indicator phrase inside a line (word offsets), to show in place.
    public struct Highlight: Equatable, Sendable {
        public var phrase: String
        public var kind: String
        public var negated: Bool
    }

    /// The suggestion card: what is suggested and why.
    public struct Card: Equatable, Sendable {
        public var action: SuggestedAction
        public var reasons: [SuggestionReason]
        public var confidence: Double
        public var details: SuggestionDetails?
        public var t: Double
    }

    /// What the operator did with a suggestion.
    public enum Choice: String, Sendable {
        case accept, dismiss
    }

    /// What a key did.
    public enum Effect: Equatable, Sendable {
        /// The operator accepted or dismissed the suggestion shown (for the log).
        case chose(Choice, SuggestedAction, [SuggestionReason], t: Double)
        case togglePause
        case quit
    }

    /// The pipeline box: where the audio comes from and how the pipeline is doing.
    public struct Pipeline: Equatable, Sendable {
        public var source: String = ""
        public var sampleRate: Int = 0
        /// Input level of the last block, dBFS (-inf for silence).
        public var levelDB: Double = -.infinity
        public var inSpeech = false
        public var overruns = 0
        public var droppedSeconds = 0.0
        public var deviceState: String?
        public var paused = false
        public var finished = false
    }

    public let call: String
    /// Final lines kept for the transcript pane (older ones scroll away).
    public private(set) var lines: [Line] = []
    /// Each speaker's utterance in progress, in the order they started (a stereo call
    /// decodes both sides, whose utterances may overlap).
    public private(set) var partials: [(speaker: Speaker, text: String)] = []
    /// Whether the last transcript event was a final line (its indicators belong to it).
    private var lastTranscriptFinal = false
    public private(set) var card: Card?
    /// The operator's choice on the current card, if any.
    public private(set) var choice: Choice?
    /// Reasons of the suggestion the operator dismissed: it stays quiet until they change.
    private var dismissedKey: String?
    public var pipeline = Pipeline()
    public private(set) var showHelp = false
    public private(set) var t: Double = 0
    /// Recognition latency (event time minus the end of the words it reports), seconds.
    public private(set) var latency = LatencyWindow()
    private var pendingHighlights: [Highlight] = []
    private let maxLines: Int

    public init(call: String, maxLines: Int = 500) {
        self.call = call
        self.maxLines = maxLines
    }

    public var isPartialShown: Bool { !partials.isEmpty }

    /// Whether the card is on screen: a suggestion, not dismissed.
    public var visibleCard: Card? {
        guard let card, card.action != .none else { return nil }
        if choice == .dismiss { return nil }
        return card
    }

    public mutating func handle(_ event: CallEvent) {
        t = max(t, event.t)
        switch event.payload {
        case .transcript(let text, let final, _, let end, let speaker, _):
            latency.add(max(0, event.t - end))
            if final {
                lines.append(Line(t: event.t, speaker: speaker, text: text, highlights: pendingHighlights))
                pendingHighlights = []
                if lines.count > maxLines { lines.removeFirst(lines.count - maxLines) }
                partials.removeAll { $0.speaker == speaker }
            } else if let i = partials.firstIndex(where: { $0.speaker == speaker }) {
                partials[i].text = text
            } else {
                partials.append((speaker, text))
            }
            lastTranscriptFinal = final
            pipeline.inSpeech = !partials.isEmpty
        case .indicator(let kind, _, let phrase, _, _, let negated, _, _):
            // Indicators follow the transcript event they were found in: a final line's
            // belong to that line; a partial's wait for the line it becomes.
            let h = Highlight(phrase: phrase, kind: kind, negated: negated)
            if lastTranscriptFinal, let last = lines.indices.last, lines[last].t == event.t {
                if !lines[last].highlights.contains(h) { lines[last].highlights.append(h) }
            } else if !pendingHighlights.contains(h) {
                pendingHighlights.append(h)
            }
        case .suggestion(let action, let reasons, let confidence, let details):
            let next = Card(action: action, reasons: reasons, confidence: confidence, details: details, t: event.t)
            let key = Self.key(next)
            // A dismissed suggestion comes back only when its evidence changes; a safety
            // veto always shows.
            if choice == .dismiss, dismissedKey == key, action != .safety {
                card = next
                return
            }
            card = next
            choice = nil
            dismissedKey = nil
        case .device(let notice):
            pipeline.overruns = notice.overruns
            pipeline.droppedSeconds = notice.droppedSeconds
            pipeline.deviceState = notice.state == .restored ? nil : notice.state.rawValue
        case .summary:
            pipeline.finished = true
            partials = []
        case .error(let message):
            lines.append(Line(t: event.t, speaker: .unknown, text: "error: " + message, highlights: []))
        case .operatorChoice:
            break
        }
    }

    /// The level and voice activity of the latest audio.
    public mutating func monitor(levelDB: Double, t: Double) {
        pipeline.levelDB = levelDB
        self.t = max(self.t, t)
    }

    public mutating func handle(key: Character) -> Effect? {
        if showHelp && key != "?" && key != "q" {
            showHelp = false
            return nil
        }
        switch key {
        case "a":
            guard let card = visibleCard, choice == nil else { return nil }
            choice = .accept
            return .chose(.accept, card.action, card.reasons, t: t)
        case "d":
            guard let card = visibleCard else { return nil }
            choice = .dismiss
            dismissedKey = Self.key(card)
            return .chose(.dismiss, card.action, card.reasons, t: t)
        case "p":
            pipeline.paused.toggle()
            return .togglePause
        case "r":
            latency = LatencyWindow()
            return nil
        case "?":
            showHelp.toggle()
            return nil
        case "q":
            return .quit
        default:
            return nil
        }
    }

    static func key(_ card: Card) -> String {
        card.action.rawValue + "|" + card.reasons.map { $0.category + ":" + $0.phrase }.sorted().joined(separator: ",")
    }
}

/// Latency percentiles over the most recent values (a fixed window, constant memory).
public struct LatencyWindow: Sendable, Equatable {
    private var values: [Double] = []
    private var next = 0
    public let capacity: Int

    public init(capacity: Int = 512) { self.capacity = capacity }

    public mutating func add(_ v: Double) {
        if values.count < capacity {
            values.append(v)
        } else {
            values[next] = v
            next = (next + 1) % capacity
        }
    }

    public var count: Int { values.count }

    public func percentile(_ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[min(sorted.count - 1, max(0, rank))]
    }
}
