/// Decides, block by block, when an utterance starts, when to surface a partial
/// hypothesis and when to end the utterance, from the voice-activity detector's verdict.
///
/// A pure state machine: the recognizer adapter feeds it `inSpeech` after each block it
/// processes and performs the returned effects on its engine.
public struct UtteranceSegmenter: Equatable, Sendable {
    public enum Effect: Equatable, Sendable {
        /// Speech began: report it.
        case speechStarted
        /// Ask the engine for its current hypothesis and report it if it changed.
        case emitPartial
        /// End the utterance, report the final hypothesis, and start a new one.
        case endUtterance
    }

    public struct Configuration: Equatable, Sendable {
        /// Longest interval of speech audio between two partial hypotheses. 100 ms: an
        /// indicator must show in two partials in a row, so this is most of the time
        /// between a phrase's end and its card (measured against 200 ms in the README).
        public var partialInterval: Double
        /// Utterances longer than this are ended (and a new one started) to bound latency
        /// of finals and the engine's memory.
        public var maxUtterance: Double

        public init(partialInterval: Double = 0.1, maxUtterance: Double = 20) {
            self.partialInterval = partialInterval
            self.maxUtterance = maxUtterance
        }
    }

    enum State: Equatable, Sendable {
        case silence
        case speech(since: Double, lastPartial: Double)
    }

    public let configuration: Configuration
    private(set) var state: State = .silence

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    public var inSpeech: Bool { state != .silence }

    /// The verdict after a block ending at audio time `time`.
    public mutating func handle(inSpeech speech: Bool, at time: Double) -> [Effect] {
        switch (state, speech) {
        case (.silence, false):
            return []
        case (.silence, true):
            state = .speech(since: time, lastPartial: time)
            return [.speechStarted]
        case (.speech, false):
            state = .silence
            return [.endUtterance]
        case (.speech(let since, let lastPartial), true):
            if time - since >= configuration.maxUtterance {
                state = .silence
                return [.endUtterance]
            }
            if time - lastPartial >= configuration.partialInterval - 1e-9 {
                state = .speech(since: since, lastPartial: time)
                return [.emitPartial]
            }
            return []
        }
    }

    /// The audio ended or was interrupted: close any open utterance.
    public mutating func finish() -> [Effect] {
        defer { state = .silence }
        return state == .silence ? [] : [.endUtterance]
    }
}
