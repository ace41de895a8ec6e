import Foundation

/// A call given as text (`crisiscue analyze`, labelled call scripts): one turn a line,
/// optionally prefixed with `caller:` or `taker:`, turned into the final hypotheses a
/// recogniser would have produced, with plausible word times.
public struct TypedTranscript: Equatable, Sendable {
    public struct Turn: Equatable, Sendable {
        public var speaker: Speaker?
        public var text: String

        public init(speaker: Speaker?, text: String) {
            self.speaker = speaker
            self.text = text
        }
    }

    public var turns: [Turn]
    /// Seconds per word and between turns: a calm speaking rate of about 150 words a minute.
    public static let secondsPerWord = 0.4
    public static let pause = 0.6

    public init(turns: [Turn]) { self.turns = turns }

    /// Parses text: blank lines are skipped; `caller:`, `taker:` (also `call-taker:`,
    /// `dispatcher:`, `telecommunicator:`) prefixes name the speaker.
    public init(text: String) {
        var turns: [Turn] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            var speaker: Speaker?
            if let colon = line.firstIndex(of: ":") {
                let head = line[..<colon].lowercased().trimmingCharacters(in: .whitespaces)
                let known: [String: Speaker] = [
                    "caller": .caller, "taker": .taker, "call-taker": .taker, "call taker": .taker,
                    "dispatcher": .taker, "telecommunicator": .taker, "911": .taker,
                ]
                if let s = known[head] {
                    speaker = s
                    line = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            turns.append(Turn(speaker: speaker, text: line))
        }
        self.turns = turns
    }

    /// Each turn as a final hypothesis, with its speaker, and the transcript's length.
    public func hypotheses() -> (turns: [(Hypothesis, Speaker?)], seconds: Double) {
        var t = 0.0
        var result: [(Hypothesis, Speaker?)] = []
        for turn in turns {
            t += Self.pause
            let start = t
            var words: [RecognizedWord] = []
            for w in turn.text.split(whereSeparator: \.isWhitespace) {
                words.append(RecognizedWord(text: String(w), start: t, end: t + Self.secondsPerWord * 0.9))
                t += Self.secondsPerWord
            }
            guard !words.isEmpty else { continue }
            result.append((Hypothesis(words: words, isFinal: true, start: start, end: t), turn.speaker))
        }
        return (result, t + Self.pause)
    }
}
