import CrisisCueCore
import Testing

@Suite("Utterance segmenter")
struct UtteranceSegmenterTests {
    typealias E = UtteranceSegmenter.Effect

    /// (in speech?, time) -> expected effects, applied in order to one segmenter.
    static let script: [(Bool, Double, [E])] = [
        (false, 0.1, []),
        (false, 0.2, []),
        (true, 0.3, [.speechStarted]),
        (true, 0.4, []),
        (true, 0.5, [.emitPartial]),  // 0.2 s after the start
        (true, 0.6, []),
        (true, 0.7, [.emitPartial]),
        (false, 0.8, [.endUtterance]),
        (false, 0.9, []),
        (true, 1.0, [.speechStarted]),
    ]

    @Test func transitions() {
        var s = UtteranceSegmenter(configuration: .init(partialInterval: 0.2))
        for (speech, time, expected) in Self.script {
            #expect(s.handle(inSpeech: speech, at: time) == expected, "at \(time)")
        }
        #expect(s.finish() == [.endUtterance])
        #expect(s.finish() == [])
    }

    @Test("partials come at least every interval of speech, whatever the block size")
    func partialCadence() {
        for block in [0.01, 0.02, 0.05, 0.1] {
            var s = UtteranceSegmenter()
            let interval = s.configuration.partialInterval
            var last = 0.0
            var t = 0.0
            _ = s.handle(inSpeech: true, at: 0)
            while t < 5 {
                t += block
                if s.handle(inSpeech: true, at: t).contains(.emitPartial) {
                    #expect(t - last <= max(interval, block) + 1e-6)
                    last = t
                }
            }
            #expect(t - last <= max(interval, block) + 1e-6)
        }
    }

    @Test("an utterance longer than the limit is split")
    func maxLength() {
        var s = UtteranceSegmenter(configuration: .init(partialInterval: 0.2, maxUtterance: 1))
        _ = s.handle(inSpeech: true, at: 0)
        var ended = false
        for i in 1...12 {
            if s.handle(inSpeech: true, at: Double(i) * 0.1).contains(.endUtterance) { ended = true; break }
        }
        #expect(ended)
        #expect(s.handle(inSpeech: true, at: 1.3) == [.speechStarted])
    }
}
