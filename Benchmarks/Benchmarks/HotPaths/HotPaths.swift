import Benchmark
import CrisisCueCore
import Foundation
import Yams

/// The paths that run for every period or every hypothesis of a live call.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(3))

    // One second of 8 kHz telephone audio up to the recognizer's 16 kHz.
    Benchmark("Resampler 8 kHz to 16 kHz, 1 s of audio") { benchmark in
        let input = (0..<8_000).map { Float(sin(Double($0) * 0.3)) * 0.5 }
        var output: [Float] = []
        output.reserveCapacity(16_500)
        var resampler = Resampler(inputRate: 8_000, outputRate: 16_000)
        for _ in benchmark.scaledIterations {
            output.removeAll(keepingCapacity: true)
            resampler.process(input, into: &output)
            blackHole(output.count)
        }
    }

    // 48 kHz stereo headset periods through the hand-off, one thread (the cost of the ring itself).
    Benchmark("AudioRing: 1000 periods of 20 ms, 48 kHz stereo, commit and take") { benchmark in
        let ring = AudioRing(slotCount: 100, slotSamples: 960 * 2)
        for _ in benchmark.scaledIterations {
            for i in 0..<1000 {
                let slot = ring.tryReserve()!
                slot[0] = Int16(truncatingIfNeeded: i)
                ring.commit(frames: 960, at: UInt64(i))
                let taken = ring.take(timeout: 0)!
                blackHole(taken.samples[0])
                ring.release()
            }
        }
    }

    // The shipped intent model on a long caller turn, as one final hypothesis.
    Benchmark("IntentMatcher: a 40-word turn against models/intents.yaml") { benchmark in
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let yaml = try String(contentsOfFile: root.path + "/models/intents.yaml", encoding: .utf8)
        let definition = try YAMLDecoder().decode(IntentModelDefinition.self, from: yaml)
        let matcher = IntentMatcher(model: try IntentModel(definition))
        let text = "he stopped taking his medication about two weeks ago and now he's convinced the neighbors put cameras in the smoke detectors he tore one right off the ceiling and he doesn't have any weapons he's just pacing around and whispering"
        let words = text.split(separator: " ").enumerated().map { RecognizedWord(text: String($1), start: Double($0) * 0.3, end: Double($0) * 0.3 + 0.25) }
        for _ in benchmark.scaledIterations {
            blackHole(matcher.findings(in: words).count)
        }
    }

    // A full 120x40 frame of the panel, and the escape sequences for a one-cell change.
    Benchmark("PanelRenderer: render 120x40 and write the changed cells") { benchmark in
        var state = PanelState(call: "bench")
        for i in 0..<60 {
            state.handle(CallEvent(call: "bench", t: Double(i), payload: .transcript(
                text: "line \(i) he stopped taking his medication about two weeks ago", final: true,
                start: Double(i), end: Double(i) + 0.9, speaker: .caller)))
        }
        state.handle(CallEvent(call: "bench", t: 61, payload: .suggestion(
            action: .transfer, reasons: [SuggestionReason(category: "mental_health", phrase: "stopped taking his medication", t: 50)],
            confidence: 0.8, details: SuggestionDetails(service: "mental-health care", resource: "on-site social worker"))))
        var writer = ScreenWriter()
        _ = writer.frame(PanelRenderer.render(state, columns: 120, rows: 40))
        for i in benchmark.scaledIterations {
            state.monitor(levelDB: -20 - Double(i % 20), t: 61)
            let screen = PanelRenderer.render(state, columns: 120, rows: 40)
            blackHole(writer.frame(screen).count)
        }
    }
}
