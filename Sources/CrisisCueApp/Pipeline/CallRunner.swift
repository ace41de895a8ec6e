import CrisisCueAudioIO
import Foundation
import CrisisCueCore
import Synchronization

/// Drives one call through the pipeline on the calling thread: audio source, conditioner,
/// recognizer, session, and out to `emit`.
///
/// Blocking: reads and decodes on the caller's thread; with `.realtime` pace it sleeps so
/// that each block is fed when it would have arrived live. Checks `cancel` between
/// blocks, so an interrupt stops the call within one block.
public struct CallRunner {
    public struct Result: Sendable {
        public var audioSeconds: Double
        /// Wall-clock seconds of work, excluding time spent waiting for the pace.
        public var processingSeconds: Double
        public var cancelled: Bool
        public var failed: Bool
    }

    public var pace: Pace
    public var clock: any PipelineClock
    public var blockSeconds: Double
    /// The call's channel; nil to infer it from the source's sample rate.
    public var bandwidth: ChannelBandwidth?
    /// Told the level (dBFS) of each block read and the call time, for the panel's meter.
    public var monitor: (@Sendable (_ levelDB: Double, _ t: Double) -> Void)?
    /// Told, before the events of each recognizer output are emitted, when the recognizer
    /// returned it and when the intent stage was done with it (monotonic seconds; `bench`).
    public var stages: ((_ recognizedAt: Double, _ decidedAt: Double) -> Void)?
    /// The panel's hold on a replay: pause (`p`), and end the call early (`q`).
    public var pause: PlaybackControl?

    public init(
        pace: Pace = .fast, clock: any PipelineClock = MonotonicClock(), blockSeconds: Double = 0.1,
        bandwidth: ChannelBandwidth? = nil
    ) {
        self.pace = pace
        self.clock = clock
        self.blockSeconds = blockSeconds
        self.bandwidth = bandwidth
    }

    /// RMS level of a block in dBFS (-inf for digital silence).
    static func levelDB(_ block: [Float]) -> Double {
        var sum: Float = 0
        for x in block { sum += x * x }
        let rms = (sum / Float(block.count)).squareRoot()
        return rms > 0 ? 20 * log10(Double(rms)) : -.infinity
    }

    /// The call-taker's side of a stereo recording, decoded by its own recognizer in step
    /// with the caller's: its words are the call-taker's, the main source's the caller's.
    public struct OtherSide {
        public var source: AudioSource
        public var recognizer: SpeechRecognizer

        public init(source: AudioSource, recognizer: SpeechRecognizer) {
            self.source = source
            self.recognizer = recognizer
        }
    }

    public func run(
        source: AudioSource, recognizer: SpeechRecognizer, taker: OtherSide? = nil, session: inout CallSession,
        cancel: borrowing Atomic<Bool>, emit: (CallEvent) -> Void
    ) -> Result {
        recognizer.reset(bandwidth: bandwidth ?? .forSampleRate(source.sampleRate))
        taker?.recognizer.reset(bandwidth: bandwidth ?? .forSampleRate(source.sampleRate))
        let wallStart = clock.now()
        var schedule = wallStart
        var slept = 0.0
        var conditioner = AudioConditioner(
            inputRate: source.sampleRate, outputRate: recognizer.sampleRate, maxBlockSeconds: blockSeconds)
        var takerConditioner = taker.map {
            AudioConditioner(inputRate: $0.source.sampleRate, outputRate: $0.recognizer.sampleRate, maxBlockSeconds: blockSeconds)
        }
        var block: [Float] = []
        var takerBlock: [Float] = []
        var takerFed = 0
        var failed = false
        var cancelled = false
        var fedSamples = 0
        let rate = Double(recognizer.sampleRate)
        // Speakers are named only when both sides are decoded; otherwise the session's
        // channel speaker stands.
        let callerSide: Speaker? = taker == nil ? nil : .caller

        /// The call-taker's side, fed up to the caller's side's time after each caller block.
        func feedTaker(_ pcm: UnsafeBufferPointer<Int16>) throws {
            guard let taker else { return }
            takerFed += pcm.count
            let end = Double(takerFed) / rate
            for output in try taker.recognizer.accept(pcm) {
                for event in session.handle(output, at: end, speaker: .taker) { emit(event) }
            }
        }

        func feed(_ pcm: UnsafeBufferPointer<Int16>) throws {
            fedSamples += pcm.count
            let end = Double(fedSamples) / rate
            if pace == .realtime {
                let before = clock.now()
                if pause?.isPaused == true {
                    while pause?.isPaused == true && pause?.endRequested != true && !cancel.load(ordering: .relaxed) {
                        clock.sleep(until: clock.now() + 0.05)
                    }
                    // Time held on pause moves the schedule, not the audio.
                    schedule += clock.now() - before
                }
                clock.sleep(until: schedule + end)
                slept += clock.now() - before
            }
            let outputs = try recognizer.accept(pcm)
            let recognizedAt = stages == nil ? 0 : clock.now()
            for output in outputs {
                let events = session.handle(output, at: end, speaker: callerSide)
                if let stages, !events.isEmpty { stages(recognizedAt, clock.now()) }
                for event in events { emit(event) }
            }
        }

        /// A live input's notices come before the block they arrived with: an unplug
        /// closes the utterance in progress so its words are final before the gap.
        func notices() throws {
            for notice in source.takeNotices() {
                let t = Double(fedSamples) / rate
                if notice.closesUtterance {
                    for output in try recognizer.finish() {
                        for event in session.handle(output, at: t, speaker: callerSide) { emit(event) }
                    }
                    if let taker {
                        for output in try taker.recognizer.finish() {
                            for event in session.handle(output, at: t, speaker: .taker) { emit(event) }
                        }
                    }
                }
                emit(CallEvent(call: session.call, t: t, payload: .device(notice)))
            }
        }

        /// A live source blocks until the audio arrives: that wait is not work.
        func read() throws -> Bool {
            guard source.isLive else { return try source.read(into: &block) }
            let before = clock.now()
            defer { slept += clock.now() - before }
            return try source.read(into: &block)
        }

        do {
            while try read() {
                try notices()
                if cancel.load(ordering: .relaxed) { cancelled = true; break }
                if pause?.endRequested == true { break }
                if let monitor, !block.isEmpty { monitor(Self.levelDB(block), Double(fedSamples) / rate) }
                try conditioner.process(block) { try feed($0) }
                if let taker, takerConditioner != nil, try taker.source.read(into: &takerBlock) {
                    try takerConditioner!.process(takerBlock) { try feedTaker($0) }
                }
            }
            try notices()
            if !cancelled {
                try conditioner.flush { try feed($0) }
                if takerConditioner != nil { try takerConditioner!.flush { try feedTaker($0) } }
            }
            let t = Double(fedSamples) / rate
            for output in try recognizer.finish() {
                for event in session.handle(output, at: t, speaker: callerSide) { emit(event) }
            }
            if let taker {
                for output in try taker.recognizer.finish() {
                    for event in session.handle(output, at: t, speaker: .taker) { emit(event) }
                }
            }
        } catch {
            failed = true
            emit(CallEvent(call: session.call, t: Double(fedSamples) / rate, payload: .error(message: "\(error)")))
        }
        if let problem = source.problemAfterEnd {
            failed = true
            emit(CallEvent(call: session.call, t: Double(fedSamples) / rate, payload: .error(message: problem.description)))
        }
        return Result(
            audioSeconds: Double(fedSamples) / rate,
            processingSeconds: clock.now() - wallStart - slept,
            cancelled: cancelled, failed: failed)
    }
}
