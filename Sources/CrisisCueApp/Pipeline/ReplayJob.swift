import CrisisCueAudioIO
import CrisisCueCore
import CrisisCueSpeech
import Foundation
import Synchronization

/// Replays recorded calls through the pipeline on `jobs` worker threads, each with its
/// own recognizer (created on that thread), and hands each call's events to `output`.
///
/// With an output folder, every finished call's events are kept as
/// `<folder>/<name>.jsonl` (mode 0600, written atomically), and calls whose file is
/// already complete are skipped: an interrupted run resumes where it stopped.
public final class ReplayJob: Sendable {
    public struct Options: Sendable {
        public var channel: ChannelSelection = .mix
        public var pace: Pace = .fast
        public var jobs: Int = 1
        public var outputFolder: String?
        public var recognizer: PocketSphinxRecognizer.Configuration
        /// The intent stage; nil for recognition only.
        public var intent: IntentModel?
        /// Wall-clock start of every call (`--at`), for shift-dependent resources.
        public var callStart: Date?
        /// The panel's level meter and pause key.
        public var monitor: (@Sendable (_ levelDB: Double, _ t: Double) -> Void)?
        public var pause: PlaybackControl?

        public init(recognizer: PocketSphinxRecognizer.Configuration) { self.recognizer = recognizer }
    }

    /// What happened to one call.
    public enum Outcome: Sendable, Equatable {
        case processed(failed: Bool)
        case skipped
        case failed
        case cancelled
    }

    public let options: Options
    public let interrupts: Interrupts
    /// Receives each call's events: as they happen (`streaming`) or all at once at the end.
    public let output: @Sendable (_ events: [CallEvent], _ input: CallInput) -> Void
    public let streaming: Bool
    /// Told when each call is done (any worker thread), e.g. for a progress line.
    public let finished: (@Sendable (Outcome, CallInput) -> Void)?

    public init(
        options: Options, interrupts: Interrupts, streaming: Bool,
        finished: (@Sendable (Outcome, CallInput) -> Void)? = nil,
        output: @escaping @Sendable ([CallEvent], CallInput) -> Void
    ) {
        self.finished = finished
        self.options = options
        self.interrupts = interrupts
        self.streaming = streaming
        self.output = output
    }

    /// Processes every input; returns the outcome of each, in input order.
    public func run(_ inputs: [CallInput]) -> [Outcome] {
        let next = Atomic<Int>(0)
        let outcomes = Mutex([Outcome](repeating: .cancelled, count: inputs.count))
        let workers = max(1, min(options.jobs, inputs.count))
        let done = DispatchSemaphore(value: 0)
        for index in 0..<workers {
            let thread = Thread { [self] in
                defer { done.signal() }
                var recognizers = Recognizers()
                while !interrupts.isRequested {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    guard i < inputs.count else { break }
                    let outcome = process(inputs[i], recognizers: &recognizers)
                    outcomes.withLock { $0[i] = outcome }
                    finished?(outcome, inputs[i])
                }
            }
            thread.name = "crisiscue-replay-\(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
        for _ in 0..<workers { done.wait() }
        return outcomes.withLock { $0 }
    }

    /// One worker's decoders, one per channel bandwidth met so far, created on the
    /// worker's thread.
    struct Recognizers {
        var byBandwidth: [ChannelBandwidth: PocketSphinxRecognizer] = [:]
        /// A second decoder per bandwidth for the call-taker's side of stereo calls.
        var takerSide: [ChannelBandwidth: PocketSphinxRecognizer] = [:]
        var failure: String?

        mutating func get(
            _ bandwidth: ChannelBandwidth, _ configuration: PocketSphinxRecognizer.Configuration, taker: Bool = false
        ) -> PocketSphinxRecognizer? {
            if let r = (taker ? takerSide : byBandwidth)[bandwidth] { return r }
            if failure != nil { return nil }
            do {
                let r = try PocketSphinxRecognizer(configuration: configuration.with(bandwidth: bandwidth))
                if taker { takerSide[bandwidth] = r } else { byBandwidth[bandwidth] = r }
                return r
            } catch {
                failure = "\(error)"
                return nil
            }
        }
    }

    private func process(_ input: CallInput, recognizers: inout Recognizers) -> Outcome {
        if let problem = input.problem {
            output([CallEvent(call: input.call, t: 0, payload: .error(message: problem))], input)
            return .failed
        }
        let logPath = options.outputFolder.map { "\($0)/calls/\(input.outputName).jsonl" }
        // A finished call is skipped only if its recording is the one it was made from.
        let inputHash = logPath == nil ? nil : StableHash.file(input.path)
        if let logPath, let kept = Self.completedEvents(logPath), case .summary(let s) = kept.last?.payload,
            s.inputHash != nil, s.inputHash == inputHash {
            output(kept, input)
            return .skipped
        }
        let source: WAVFileSource
        do {
            source = try WAVFileSource(path: input.path, channel: options.channel)
        } catch {
            output([CallEvent(call: input.call, t: 0, payload: .error(message: "\(error)"))], input)
            return .failed
        }
        let bandwidth = ChannelBandwidth.forSampleRate(source.sampleRate)
        guard let recognizer = recognizers.get(bandwidth, options.recognizer) else {
            output([CallEvent(call: input.call, t: 0, payload: .error(message: recognizers.failure ?? "no recognizer"))], input)
            return .failed
        }
        let speaker: Speaker = source.format.channels > 1 && options.channel != .mix ? .caller : .unknown
        // Stereo with the caller's side named: the other side is the call-taker's, decoded
        // apart, so questions and their answers are told apart by channel.
        var taker: CallRunner.OtherSide?
        if speaker == .caller {
            do {
                let side = try WAVFileSource(path: input.path, channel: options.channel == .left ? .right : .left)
                guard let r = recognizers.get(bandwidth, options.recognizer, taker: true) else {
                    output([CallEvent(call: input.call, t: 0, payload: .error(message: recognizers.failure ?? "no recognizer"))], input)
                    return .failed
                }
                taker = CallRunner.OtherSide(source: side, recognizer: r)
            } catch {
                output([CallEvent(call: input.call, t: 0, payload: .error(message: "\(error)"))], input)
                return .failed
            }
        }
        var session = CallSession(
            call: input.call, channelSpeaker: speaker, intent: options.intent, callStart: options.callStart ?? Date())
        // Memory stays bounded however long the call: events stream to the output and to
        // the call's log file as they come; only a consumer that wants a call's events
        // together (several jobs writing to one stdout) has them kept until the end.
        var log: PrivateFile.AtomicWriter?
        if let logPath {
            do { log = try PrivateFile.AtomicWriter(path: logPath) } catch {
                output([CallEvent(call: input.call, t: 0, payload: .error(message: "\(error)"))], input)
                return .failed
            }
        }
        var events: [CallEvent] = []
        var runner = CallRunner(pace: options.pace)
        runner.monitor = options.monitor
        runner.pause = options.pause
        let result = runner.run(source: source, recognizer: recognizer, taker: taker, session: &session, cancel: interrupts.requested) {
            event in
            if streaming { output([event], input) } else { events.append(event) }
            log?.write(event.jsonLine + "\n")
        }
        if result.cancelled {
            log?.discard()
            return .cancelled
        }
        var summary = session.summary(audioSeconds: result.audioSeconds, processingSeconds: result.processingSeconds)
        if case .summary(var s) = summary.payload, result.failed == false {
            s.inputHash = inputHash
            summary.payload = .summary(s)
        }
        events.append(summary)
        if let log, result.failed {
            // A call that failed part-way is redone by the next run: no complete log.
            log.discard()
        } else if let log {
            log.write(summary.jsonLine + "\n")
            do { try log.commit() } catch {
                let failure = CallEvent(call: input.call, t: result.audioSeconds, payload: .error(message: "\(error)"))
                output([failure], input)
            }
        }
        if streaming { output([summary], input) } else { output(events, input) }
        return .processed(failed: result.failed)
    }

    /// The last suggestion (if any) and the summary of a complete per-call log, or nil
    /// if it is missing or partial.
    static func completedEvents(_ path: String) -> [CallEvent]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard let last = lines.last,
            let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any],
            object["type"] as? String == "summary",
            let call = object["call"] as? String,
            let action = (object["action"] as? String).flatMap(SuggestedAction.init(rawValue:)),
            let audio = object["audio_seconds"] as? Double
        else { return nil }
        var summary = CallSummary(
            action: action, firstTransferT: object["first_transfer_t"] as? Double,
            firstSafetyT: object["first_safety_t"] as? Double, audioSeconds: audio,
            processingSeconds: object["processing_seconds"] as? Double ?? 0)
        summary.inputHash = object["input_hash"] as? String
        var events: [CallEvent] = []
        if let line = lines.last(where: { $0.contains(#""type":"suggestion""#) }),
            let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let a = (o["action"] as? String).flatMap(SuggestedAction.init(rawValue:)) {
            let reasons = (o["reasons"] as? [[String: Any]] ?? []).compactMap { r -> SuggestionReason? in
                guard let c = r["category"] as? String, let p = r["phrase"] as? String, let t = r["t"] as? Double else { return nil }
                return SuggestionReason(category: c, phrase: p, t: t)
            }
            events.append(CallEvent(call: call, t: o["t"] as? Double ?? 0, payload: .suggestion(
                action: a, reasons: reasons, confidence: o["confidence"] as? Double ?? 0, details: nil)))
        }
        events.append(CallEvent(call: call, t: audio, payload: .summary(summary)))
        return events
    }
}
