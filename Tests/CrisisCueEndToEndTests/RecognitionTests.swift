import CrisisCueApp
import CrisisCueAudioIO
import CrisisCueCore
import CrisisCueSpeech
import Foundation
import Synchronization
import Testing

/// Collects a call's events from the real pipeline (PocketSphinx, resampler, runner).
func runPipeline(_ source: AudioSource, call: String = "t") throws -> [CallEvent] {
    let recognizer = try PocketSphinxRecognizer(configuration: Fixtures.recognizerConfiguration())
    var session = CallSession(call: call)
    var events: [CallEvent] = []
    let cancel = Atomic<Bool>(false)
    let result = CallRunner().run(source: source, recognizer: recognizer, session: &session, cancel: cancel) { events.append($0) }
    events.append(session.summary(audioSeconds: result.audioSeconds, processingSeconds: result.processingSeconds))
    return events
}

func finalText(_ events: [CallEvent]) -> String {
    events.compactMap { e -> String? in
        if case .transcript(let text, true, _, _, _, _) = e.payload { return text }
        return nil
    }.joined(separator: " ")
}

@Suite("Recognition of human speech through the whole pipeline", .serialized)
struct RecognitionTests {
    @Test("\"go forward ten meters\" (pocketsphinx-testdata, a human speaker) at 16 kHz")
    func goForwardWideband() throws {
        let events = try runPipeline(MemoryAudioSource(samples: Fixtures.goForward(), sampleRate: 16000))
        #expect(finalText(events) == "go forward ten meters")
        // Finals carry each word's lattice posterior; partials none.
        for e in events {
            guard case .transcript(let text, let final, _, _, _, let confidences) = e.payload else { continue }
            if final {
                #expect(confidences?.count == text.split(separator: " ").count)
                #expect(confidences?.allSatisfy { (0...1).contains($0) } == true, "\(confidences ?? [])")
                // A clear human recording: most words are not in doubt (this one's "ten"
                // came out at 0.48: posteriors of a pruned lattice, not calibrated).
                #expect((confidences ?? []).filter { $0 > 0.8 }.count >= 3, "\(confidences ?? [])")
            } else {
                #expect(confidences == nil)
            }
        }
    }

    @Test("the same recording as an 8 kHz mu-law stereo WAV, read, upsampled and decoded")
    func goForwardTelephone() throws {
        let format = WAVFormat(encoding: .muLaw, channels: 2, sampleRate: 8000)
        let bytes = Fixtures.wav(try Fixtures.goForward(), from: 16000, format: format)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/goforward-8k.wav"
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let events = try runPipeline(WAVFileSource(path: path, channel: .left))
        // Band-limiting costs accuracy with the wideband model: at most one word of four wrong.
        let wer = WordErrorCount.align(reference: ["go", "forward", "ten", "meters"], hypothesis: TranscriptNormalizer.words(finalText(events))).rate
        #expect(wer <= 0.25, "heard: \(finalText(events))")
        #expect(finalText(events).contains("forward"))
    }

    @Test("partials come while speaking, finals carry word times inside the audio, t never goes back")
    func streamingContract() throws {
        // Two utterances separated by a second of silence.
        let speech = try Fixtures.goForward()
        let audio = [Float](repeating: 0, count: 8000) + speech + [Float](repeating: 0, count: 16000) + speech
        let events = try runPipeline(MemoryAudioSource(samples: audio, sampleRate: 16000, blockSize: 512))
        let times = events.map(\.t)
        #expect(times == times.sorted())
        let finals = events.filter { if case .transcript(_, true, _, _, _, _) = $0.payload { true } else { false } }
        #expect(finals.count == 2)
        let duration = Double(audio.count) / 16000
        for case .transcript(_, _, let start, let end, _, _) in finals.map(\.payload) {
            #expect(start >= 0 && start < end && end <= duration + 0.05)
        }
        // The second utterance starts after the first speech and the silence.
        if case .transcript(_, _, let start, _, _, _) = finals[1].payload {
            let expected = Double(8000 + speech.count + 16000) / 16000
            #expect(abs(start - expected) < 0.6, "second utterance at \(start), audio at \(expected)")
        }
        // Partial hypotheses: at least every 100 ms of audio while speech is going on.
        var partialTimes = events.compactMap { e -> Double? in
            if case .transcript(_, false, _, _, _, _) = e.payload { return e.t }
            return nil
        }
        partialTimes.sort()
        #expect(partialTimes.count >= 8)
        let gaps = zip(partialTimes.dropFirst(), partialTimes).map { $0 - $1 }.filter { $0 < 1 }
        #expect((gaps.max() ?? 0) <= 0.2 + 0.1 + 1e-6)  // 100 ms (200 ms bound kept) plus one 100 ms block
        guard case .summary(let summary) = events.last?.payload else {
            Issue.record("no summary")
            return
        }
        #expect(abs(summary.audioSeconds - duration) < 0.01)
    }

    @Test("lattice partials: finals as the forward search's, partial words inside the audio, long utterances")
    func latticePartials() throws {
        // The speech without its silences, six times over: one 10 s utterance, so lattices
        // are built well past the library's first frame-table allocation (2.56 s); then a
        // second utterance, whose words must be timed after the first's.
        let speech = try Fixtures.goForward()
        let loud = stride(from: 0, to: speech.count - 160, by: 160).filter { i in
            (speech[i..<(i + 160)].map { $0 * $0 }.reduce(0, +) / 160).squareRoot() > 0.02
        }
        let spoken = Array(speech[loud.first!..<(loud.last! + 160)])
        var audio: [Float] = []
        for _ in 0..<6 { audio += spoken }
        audio += [Float](repeating: 0, count: 16000) + speech
        func decode(_ partials: PocketSphinxRecognizer.PartialSearch) throws -> [CallEvent] {
            var configuration = try Fixtures.recognizerConfiguration()
            configuration.settings = configuration.settings.merging([("-partials", partials.rawValue)])
            let recognizer = try PocketSphinxRecognizer(configuration: configuration)
            var session = CallSession(call: "t")
            var events: [CallEvent] = []
            _ = CallRunner().run(
                source: MemoryAudioSource(samples: audio, sampleRate: 16000), recognizer: recognizer, session: &session,
                cancel: Atomic<Bool>(false)) { events.append($0) }
            return events
        }
        let lattice = try decode(.lattice), forward = try decode(.forward)
        func finals(_ events: [CallEvent]) -> [String] {
            events.compactMap { e in
                if case .transcript(let text, true, let start, let end, _, _) = e.payload { return "\(text)@\(start)-\(end)" }
                return nil
            }
        }
        // Building a lattice mid-utterance leaves the search as it was: the same finals.
        #expect(finals(lattice) == finals(forward))
        #expect(finals(lattice).count == 2)
        let firstEnd = lattice.compactMap { e -> Double? in
            if case .transcript(_, true, _, let end, _, _) = e.payload { return end }
            return nil
        }.first ?? 0
        let duration = Double(audio.count) / 16000
        var partials = 0
        for e in lattice {
            guard case .transcript(let text, false, let start, let end, _, _) = e.payload else { continue }
            partials += 1
            #expect(start >= 0 && start <= end && end <= e.t + 0.05 && end <= duration, "\(text) \(start)-\(end) at \(e.t)")
            if e.t > firstEnd + 1 { #expect(start >= firstEnd, "\(text) \(start)-\(end) at \(e.t)") }
        }
        #expect(partials >= 40)
        // The long utterance's last partial already holds what its final says.
        let firstFinal = lattice.firstIndex { if case .transcript(_, true, _, _, _, _) = $0.payload { true } else { false } }!
        let lastPartial = lattice[..<firstFinal].last { if case .transcript(_, false, _, _, _, _) = $0.payload { true } else { false } }
        if case .transcript(let text, false, _, _, _, _) = lastPartial?.payload {
            #expect(TranscriptNormalizer.words(text).filter { $0 == "forward" }.count >= 5, "\(text)")
        }
    }

    @Test("a recognizer reused for the next call gives the same result (state is reset)")
    func resetBetweenCalls() throws {
        let recognizer = try PocketSphinxRecognizer(configuration: Fixtures.recognizerConfiguration())
        let cancel = Atomic<Bool>(false)
        var texts: [String] = []
        for _ in 0..<2 {
            var session = CallSession(call: "c")
            var events: [CallEvent] = []
            _ = CallRunner().run(
                source: MemoryAudioSource(samples: try Fixtures.goForward(), sampleRate: 16000),
                recognizer: recognizer, session: &session, cancel: cancel) { events.append($0) }
            texts.append(finalText(events) + "@" + events.map { "\($0.t)" }.joined(separator: ","))
        }
        #expect(texts[0] == texts[1])
    }

    @Test("a missing or incomplete model is reported in words, before the library can exit")
    func missingModel() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: AcousticModelLocation.Problem.self) { try AcousticModelLocation.resolve(root: dir + "/nope") }
        try FileManager.default.createDirectory(atPath: dir + "/en-us/en-us", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/en-us/en-us/mdef", contents: Data())
        do {
            _ = try AcousticModelLocation.resolve(root: dir)
            Issue.record("expected an incomplete-model error")
        } catch let problem as AcousticModelLocation.Problem {
            #expect(problem.description.contains("missing means"))
        }
    }
}
