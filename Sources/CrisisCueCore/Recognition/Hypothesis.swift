/// A word the recognizer heard, with its place in the call's audio.
public struct RecognizedWord: Equatable, Sendable {
    public var text: String
    /// Seconds of call audio.
    public var start: Double
    public var end: Double
    /// The word's posterior probability in the utterance's lattice (0...1), for final
    /// hypotheses of recognizers that compute one; nil elsewhere (partials, typed text).
    public var confidence: Double?

    public init(text: String, start: Double, end: Double, confidence: Double? = nil) {
        self.text = text
        self.start = start
        self.end = end
        self.confidence = confidence
    }
}

/// What a streaming recognizer currently believes was said in one utterance.
public struct Hypothesis: Equatable, Sendable {
    public var words: [RecognizedWord]
    /// Whether the utterance has ended: a final hypothesis does not change any more.
    public var isFinal: Bool
    /// Audio seconds covered by the words (the utterance's span when there are none).
    public var start: Double
    public var end: Double
    /// How far into the call's audio the recognizer had decoded when it gave this
    /// hypothesis (nil where unknown). Past `end`, that audio held no word.
    public var heardUntil: Double?

    public init(words: [RecognizedWord], isFinal: Bool, start: Double, end: Double, heardUntil: Double? = nil) {
        self.words = words
        self.isFinal = isFinal
        self.start = start
        self.end = end
        self.heardUntil = heardUntil
    }

    public var text: String { words.map(\.text).joined(separator: " ") }

    /// Each word's confidence, in order, when the recognizer gave one for every word.
    public var confidences: [Double]? {
        let c = words.compactMap(\.confidence)
        return c.count == words.count && !c.isEmpty ? c : nil
    }
}

/// Something a streaming recognizer reports as audio flows through it.
public enum RecognizerOutput: Equatable, Sendable {
    /// The voice-activity detector heard speech begin, at this audio time.
    case speechStarted(at: Double)
    /// A hypothesis that may still change.
    case partial(Hypothesis)
    /// The utterance ended; this hypothesis is final.
    case final(Hypothesis)
}

/// A streaming speech recognizer: 16-bit mono samples in, hypotheses out.
///
/// Implementation requirements: an instance is used from one thread only, the one that
/// created it. `accept` takes blocks of any size (implementations split them as their
/// engine prefers) and returns what became known while consuming them; `finish` closes
/// the current utterance and returns its final hypothesis.
public protocol SpeechRecognizer: AnyObject {
    /// The sample rate `accept` expects.
    var sampleRate: Int { get }
    func accept(_ samples: UnsafeBufferPointer<Int16>) throws -> [RecognizerOutput]
    /// Closes the current utterance, e.g. at the end of the audio or across a gap in
    /// live capture.
    func finish() throws -> [RecognizerOutput]
    /// Starts a new call: audio time returns to 0 and any adaptation (cepstral mean) to
    /// the initial state for `bandwidth`, so each call's result does not depend on the
    /// one before.
    func reset(bandwidth: ChannelBandwidth)
}

extension SpeechRecognizer {
    public func accept(_ samples: [Int16]) throws -> [RecognizerOutput] {
        try samples.withUnsafeBufferPointer { try accept($0) }
    }
}
