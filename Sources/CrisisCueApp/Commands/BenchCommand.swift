#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CrisisCueAudioIO
import CrisisCueCore
import CrisisCueSpeech
import Foundation
import Synchronization

/// `crisiscue bench`: how long after the caller says it does the card appear, stage by
/// stage, on this machine and this headset.
public struct BenchCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure end-to-end latency of the live pipeline (capture, hand-off, recognition, intent, render) with percentiles.",
        discussion: """
            --file F.wav feeds a recording through the ALSA file PCM at 1x, so the capture code \
            is in the path (repeat --file for several calls: they play one after another, 1 s \
            apart, through one capture stream, each decided as its own call); --device NAME listens to a real headset while you speak or play \
            scripted prompts (--duration, default 60 s). Every indicator heard is timed from the \
            end of its phrase (the recognizer's word times) to the frame that shows it; every \
            suggestion, to its card. The panel runs (headless when stdout is not a terminal).
            """)

    public enum BenchFormat: String, ExpressibleByArgument, Sendable { case text, json }

    @Option(help: ArgumentHelp(
        "A WAV recording to feed through the pipeline at 1x; repeat for several calls (same sample rate), each its own call.",
        valueName: "F.wav"))
    public var file: [String] = []

    @Option(help: ArgumentHelp("An ALSA capture PCM to listen to instead of a file.", valueName: "NAME"))
    public var device: String?

    @Option(help: ArgumentHelp("With --device: seconds to listen (default 60).", valueName: "SECONDS"))
    public var duration: Double?

    @Option(help: "realtime: 1x (the measurement); fast: as fast as the decoder goes (RTF only).")
    public var pace: Pace = .realtime

    @Option(help: "text (a table) or json.")
    public var format: BenchFormat = .text

    @Option(help: ArgumentHelp("Also write the end-to-end distribution in HdrHistogram's percentile format.", valueName: "FILE"))
    public var hgrm: String?

    @Option(help: ArgumentHelp("Also draw the latency distributions as an SVG.", valueName: "FILE.svg"))
    public var plot: String?

    @Option(help: ArgumentHelp(
        "Also write every timed indicator and card as a JSON line (its call, its stages, the event itself), to find the slow ones. Holds what was said: readable only by you.",
        valueName: "FILE"))
    public var events: String?

    @Option(help: ArgumentHelp("A manifest ({file, label, key_end}) naming the files: times each call's decisive suggestion from the end of its line.", valueName: "FILE"))
    public var manifest: String?

    @Flag(help: "With --file: measure pocketsphinx_continuous the same way on the same audio, after CrisisCue.")
    public var peer = false

    @Option(help: "Which side of a stereo input is the caller: left, right or mix.")
    public var channel: ChannelSelection = .mix

    @Option(help: "The audio's channel: wideband or telephone. Default: from the rate.")
    public var bandwidth: ChannelBandwidth?

    @OptionGroup public var model: ModelOptions

    @OptionGroup public var intent: IntentOptions

    public init() {}

    public func validate() throws {
        if file.isEmpty == (device == nil) { throw ValidationError("give --file F.wav (one or more) or --device NAME") }
        if peer && file.isEmpty { throw ValidationError("--peer needs --file (the peer reads the same recording)") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
    }

    /// One timed event: an indicator shown in the transcript, or a suggestion's card.
    struct Timed {
        var isCard: Bool
        var call: String
        /// Stream seconds at which the event's call began.
        var callOffset: Double
        var phraseEnd: Double
        /// A card's: the end of the last word of the hypothesis it was decided on (the
        /// phrase's own end for a card decided on the partial that brought the phrase; the
        /// sentence's end for one decided on a final).
        var wordsEnd: Double?
        var recognizedAt: Double
        var decidedAt: Double
        var sequence: Int
        var event: CallEvent
    }

    public func run() throws {
        let (configuration, intentModel) = try model.load(intent)
        if !model.verbose { ALSACaptureDevice.silenceLibraryMessages() }
        let work = NSTemporaryDirectory() + "crisiscue-bench-\(getpid())"
        try PrivateFile.makeDirectory(work)
        defer { try? FileManager.default.removeItem(atPath: work) }

        // The recording, as a raw stream behind an ALSA file PCM.
        var deviceName = device ?? "crisiscue_bench"
        var request = CaptureRequest()
        var seconds = duration ?? 60
        var samples: [Float] = []
        var fileRate = 0
        var calls: [Call] = []
        var manifestEntries = 0
        if !file.isEmpty {
            // Every call, 1 s of silence between two, one stream.
            for path in file {
                do {
                    let source = try WAVFileSource(path: path, channel: channel)
                    if fileRate != 0 && source.sampleRate != fileRate {
                        LineWriter.standardError.write("crisiscue: \(path): \(source.sampleRate) Hz, but \(file[0]) is \(fileRate) Hz; give bench calls of one sample rate")
                        throw ExitCode(1)
                    }
                    fileRate = source.sampleRate
                    if !samples.isEmpty { samples += [Float](repeating: 0, count: fileRate) }
                    let offset = samples.count
                    var block: [Float] = []
                    while try source.read(into: &block) { samples += block }
                    let entry = manifest.flatMap { Self.entry(in: $0, for: path) }
                    if entry != nil { manifestEntries += 1 }
                    calls.append(Call(
                        name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, offset: offset,
                        samples: samples.count - offset, entry: entry))
                } catch let e as ExitCode {
                    throw e
                } catch {
                    LineWriter.standardError.write("crisiscue: \(path): \(error)")
                    throw ExitCode(1)
                }
            }
            // Each call's slice of the stream runs to the next call (the silence between
            // two belongs to the one before).
            for i in calls.indices { calls[i].samples = (i + 1 < calls.count ? calls[i + 1].offset : samples.count) - calls[i].offset }
            if let manifest, manifestEntries == 0 {
                LineWriter.standardError.write("crisiscue: \(manifest) names none of the files given")
                throw ExitCode(1)
            }
            var pcm: [Int16] = []
            PCM16.convert(samples, into: &pcm)
            let raw = work + "/stream.raw"
            guard FileManager.default.createFile(atPath: raw, contents: pcm.withUnsafeBytes { Data($0) }, attributes: [.posixPermissions: 0o600])
            else {
                LineWriter.standardError.write("crisiscue: cannot write the recording's stream to \(work) (is the temporary directory full?)")
                throw ExitCode(1)
            }
            let conf = work + "/asound.conf"
            try "pcm.crisiscue_bench { type file; slave.pcm \"null\"; file \"/dev/null\"; infile \"\(raw)\"; format \"raw\" }\n"
                .write(toFile: conf, atomically: true, encoding: .utf8)
            let existing = ProcessEnvironment.value("ALSA_CONFIG_PATH") ?? "/usr/share/alsa/alsa.conf"
            setenv("ALSA_CONFIG_PATH", existing + ":" + conf, 1)
            deviceName = "crisiscue_bench"
            request.forced = (fileRate, 1)
            seconds = Double(samples.count) / Double(fileRate)
        }
        let callName = calls.count == 1 ? calls[0].name : calls.isEmpty ? "live" : "\(calls.count) calls"
        let sourceName = file.count == 1 ? file[0] : file.isEmpty ? deviceName : "\(file.count) recordings"

        let audioLimit = seconds
        let streamCalls = calls.map { (name: $0.name, offset: $0.offset, samples: $0.samples) }
        let streamRate = Double(fileRate)
        var options = CaptureLoop.Options()
        options.request = request
        options.pacing = file.isEmpty ? .device : (pace == .realtime ? .realtime : .fast)
        let name = deviceName
        let loop = CaptureLoop(options: options) { ALSACaptureDevice(name: name) }
        let interrupts = Interrupts()
        // A second Ctrl-C exits at once; the recording's raw copy goes with it.
        interrupts.install(onInterrupt: { loop.stop() }, beforeExit: { try? FileManager.default.removeItem(atPath: work) })
        let probe = ALSACaptureDevice(name: deviceName)
        let probed: CaptureFormat
        do {
            probed = try probe.open(options.request)
            probe.close()
        } catch {
            LineWriter.standardError.write(ListenCommand.openFailure(error))
            throw ExitCode(1)
        }

        let headless = !Terminal.isInteractive || format == .json
        let panel = PanelSession(
            call: callName, source: (sourceName as NSString).lastPathComponent, sampleRate: probed.sampleRate,
            options: .init(ascii: !PanelRun.unicodeTerminal, color: !ProcessEnvironment.noColor), headless: headless, recordFrames: true
        ) { effect in if effect == .quit { loop.stop() } }

        let bandwidth = self.bandwidth ?? .forSampleRate(probed.sampleRate)
        let channel = self.channel
        let callStart = intent.at == nil ? Date() : intent.callStart(for: intentModel)
        let measured = Mutex<(timed: [Timed], summary: CallSummary?, origin: Double?, capture: LatencyStats, handoff: LatencyStats,
                              decoderCPU: Double, failure: String?)>(([], nil, nil, LatencyStats(), LatencyStats(), 0, nil))
        let wallStart = MonotonicClock().now()
        var usageStart = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usageStart)
        panel.start()
        let done = DispatchSemaphore(value: 0)
        let decoder = Thread {
            defer { done.signal() }
            let cpuStart = ThreadCPUTime.seconds()
            let recognizer: PocketSphinxRecognizer
            do {
                recognizer = try PocketSphinxRecognizer(configuration: configuration.with(bandwidth: bandwidth))
            } catch {
                measured.withLock { $0.failure = "\(error)" }
                return
            }
            let ring: AudioRing
            let format: CaptureFormat
            do throws(CaptureOpenError) {
                (ring, format) = try loop.start()
            } catch {
                measured.withLock { $0.failure = ListenCommand.openFailure(error) }
                return
            }
            let source = LiveAudioSource(
                ring: ring, format: format, device: name, channel: channel, clock: MonotonicClock(), maxSeconds: audioLimit,
                stopCapture: { loop.stop() })
            var runner = CallRunner(pace: .fast, blockSeconds: 0.1, bandwidth: bandwidth)
            runner.monitor = { level, t in panel.monitor(levelDB: level, t: t) }
            var stageTimes = (0.0, 0.0)
            var timed: [Timed] = []
            runner.stages = { stageTimes = ($0, $1) }
            let never = Atomic<Bool>(false)
            // A device is one call; files are played one after another, each its own call.
            let parts: [(name: String, offset: Double, source: AudioSource)] = {
                guard !streamCalls.isEmpty else { return [(callName, 0, source)] }
                let carry = AudioSourceSlice.Carry()
                return streamCalls.map { c in
                    (c.name, Double(c.offset) / streamRate, AudioSourceSlice(source, samples: c.samples, carry: carry))
                }
            }()
            var audioSeconds = 0.0, processingSeconds = 0.0
            var last: CallSession?
            for (i, part) in parts.enumerated() {
                if i > 0 { recognizer.reset(bandwidth: bandwidth) }
                var session = CallSession(call: part.name, channelSpeaker: .unknown, intent: intentModel, callStart: callStart)
                var lastIndicatorEnd: Double?
                var lastWordsEnd: Double?
                let result = runner.run(source: part.source, recognizer: recognizer, session: &session, cancel: never) { event in
                    let sequence = panel.post(event)
                    switch event.payload {
                    case .transcript(_, _, _, let end, _, _):
                        lastWordsEnd = end
                    case .indicator(_, _, _, _, let end, _, _, _):
                        lastIndicatorEnd = end
                        timed.append(Timed(
                            isCard: false, call: part.name, callOffset: part.offset, phraseEnd: end, wordsEnd: nil, recognizedAt: stageTimes.0, decidedAt: stageTimes.1,
                            sequence: sequence, event: event))
                    case .suggestion:
                        if let end = lastIndicatorEnd {
                            timed.append(Timed(
                                isCard: true, call: part.name, callOffset: part.offset, phraseEnd: end,
                                wordsEnd: lastWordsEnd.map { max($0, end) }, recognizedAt: stageTimes.0,
                                decidedAt: stageTimes.1, sequence: sequence, event: event))
                        }
                    default: break
                    }
                }
                audioSeconds += result.audioSeconds
                processingSeconds += result.processingSeconds
                last = session
                if result.audioSeconds == 0 && i > 0 { break }
            }
            loop.stop()
            _ = loop.join(timeout: 1)
            let summary = (last ?? CallSession(call: callName)).summary(audioSeconds: audioSeconds, processingSeconds: processingSeconds)
            panel.post(summary)
            let cpu = ThreadCPUTime.seconds() - cpuStart
            measured.withLock {
                $0.timed = timed
                if case .summary(let s) = summary.payload { $0.summary = s }
                $0.origin = source.origin
                $0.capture = LatencyStats(source.capture)
                $0.handoff = LatencyStats(source.queueing)
                $0.decoderCPU = cpu
            }
        }
        decoder.name = "crisiscue-decoder"
        decoder.stackSize = 4 << 20
        decoder.start()
        done.wait()
        Thread.sleep(forTimeInterval: 0.3)  // the last frames reach the screen
        panel.close()
        let wall = MonotonicClock().now() - wallStart
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)

        let m = measured.withLock { $0 }
        if let failure = m.failure {
            LineWriter.standardError.write(failure.hasPrefix("crisiscue:") ? failure : "crisiscue: \(failure)")
            throw ExitCode(1)
        }
        guard let origin = m.origin, let summary = m.summary else {
            LineWriter.standardError.write("crisiscue: no audio was captured from \(deviceName)")
            throw ExitCode(1)
        }
        var recognition = LatencyStats(), intentStage = LatencyStats(), render = LatencyStats()
        var endToEnd = LatencyStats(), card = LatencyStats(), cardFromWords = LatencyStats()
        var phraseEnds: [Double] = [], cardEnds: [Double] = [], cardWordEnds: [Double] = []
        for t in m.timed {
            guard let shown = panel.screenTime(of: t.sequence) else { continue }
            let spoken = origin + t.callOffset + t.phraseEnd
            if t.isCard {
                card.record(seconds: shown - spoken)
                cardEnds.append(t.callOffset + t.phraseEnd)
                if let words = t.wordsEnd {
                    cardFromWords.record(seconds: shown - (origin + t.callOffset + words))
                    cardWordEnds.append(t.callOffset + words)
                }
            } else {
                recognition.record(seconds: t.recognizedAt - spoken)
                intentStage.record(seconds: t.decidedAt - t.recognizedAt)
                render.record(seconds: shown - t.decidedAt)
                endToEnd.record(seconds: shown - spoken)
                phraseEnds.append(t.callOffset + t.phraseEnd)
            }
        }
        // Each call's first suggestion of its labelled action, from the end of the line
        // that makes the label decidable.
        var decisive: (calls: Int, missed: Int, stats: LatencyStats)?
        if manifest != nil {
            var stats = LatencyStats(), labelled = 0, missed = 0
            for c in calls {
                guard let entry = c.entry, let label = entry["label"] as? String, let keyEnd = entry["key_end"] as? Double else { continue }
                labelled += 1
                let offset = Double(c.offset) / Double(fileRate)
                let first = m.timed.first { t in
                    guard t.isCard, abs(t.callOffset - offset) < 1e-6, case .suggestion(let action, _, _, _) = t.event.payload else { return false }
                    return action.rawValue == label
                }
                if let shown = first.flatMap({ panel.screenTime(of: $0.sequence) }) {
                    stats.record(seconds: shown - (origin + offset + keyEnd))
                } else {
                    missed += 1
                }
            }
            decisive = (labelled, missed, stats)
        }

        var peerStats: (endToEnd: LatencyStats, card: LatencyStats, cardFromWords: LatencyStats, lines: Int)?
        var peerRun: PeerLatency.Run?
        if peer && interrupts.isRequested {
            LineWriter.standardError.write("crisiscue: --peer skipped: the run was interrupted")
        } else if peer {
            // A Ctrl-C during the peer's pass (as long as CrisisCue's) ends its audio there.
            do {
                let run = try PeerLatency.run(samples: samples, rate: fileRate, workDirectory: work) { interrupts.isRequested }
                var e = LatencyStats(), c = LatencyStats(), w = LatencyStats()
                for end in phraseEnds { if let l = PeerLatency.latency(after: end, in: run) { e.record(seconds: l) } }
                for end in cardEnds { if let l = PeerLatency.latency(after: end, in: run) { c.record(seconds: l) } }
                for end in cardWordEnds { if let l = PeerLatency.latency(after: end, in: run) { w.record(seconds: l) } }
                peerStats = (e, c, w, run.lines.count)
                peerRun = run
            } catch {
                LineWriter.standardError.write("crisiscue: --peer: \(error)")
            }
        }

        func secondsOf(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        let user = secondsOf(usage.ru_utime) - secondsOf(usageStart.ru_utime)
        let system = secondsOf(usage.ru_stime) - secondsOf(usageStart.ru_stime)
        let cpuSeconds = user + system
        let (uiCPU, uiWall) = panel.cpu.withLock { $0 }
        let report = BenchReport(
            source: sourceName, audioSeconds: summary.audioSeconds, rtf: summary.rtf,
            stages: [("capture", m.capture), ("handoff", m.handoff), ("recognition", recognition), ("intent", intentStage), ("render", render)],
            endToEnd: endToEnd, card: card, cardFromWords: cardFromWords, decisive: decisive, peer: peerStats,
            cpuPercent: wall > 0 ? cpuSeconds / wall * 100 : 0,
            threadCPU: [("capture", loop.statistics.cpuShare * 100), ("decoder", wall > 0 ? m.decoderCPU / wall * 100 : 0),
                        ("ui", uiWall > 0 ? uiCPU / uiWall * 100 : 0)],
            maxRSSMB: Double(usage.ru_maxrss) / 1024, overruns: loop.statistics.overruns.load(ordering: .relaxed),
            droppedSeconds: Double(loop.statistics.droppedFrames.load(ordering: .relaxed)) / Double(probed.sampleRate),
            headless: headless)
        switch format {
        case .json: LineWriter.standardOutput.write(report.json)
        case .text: LineWriter.standardOutput.write(report.table)
        }
        do {
            if let hgrm { try PrivateFile.writeAtomically(endToEnd.hgrm, to: hgrm) }
            if let events {
                let lines = m.timed.compactMap { t in
                    Self.eventLine(t, shown: panel.screenTime(of: t.sequence), origin: origin, peer: peerRun)
                }
                try PrivateFile.writeAtomically(lines.map { $0 + "\n" }.joined(), to: events)
            }
            if let plot {
                var series = [("CrisisCue: phrase end to screen", endToEnd.points), ("CrisisCue: to the card", card.points)]
                if let p = peerStats { series.append(("pocketsphinx_continuous: to its hypothesis", p.endToEnd.points)) }
                try PrivateFile.writeAtomically(LatencyPlot.svg(series, title: "End-to-end latency, \(report.source)"), to: plot)
            }
        } catch {
            LineWriter.standardError.write("crisiscue: \(error)")
            throw ExitCode(1)
        }
    }

    /// A `--events` line: one timed indicator or card, its latency and stages in
    /// milliseconds (`null` when its frame never reached the screen), the peer's
    /// equivalent when `--peer` ran, and the event as `listen` would print it.
    static func eventLine(_ t: Timed, shown: Double?, origin: Double, peer: PeerLatency.Run?) -> String {
        let spoken = origin + t.callOffset + t.phraseEnd
        func ms(_ seconds: Double?) -> JSONObjectWriter.Value { seconds.map { .seconds($0 * 1000) } ?? .null }
        var o = JSONObjectWriter()
        o.add("call", .string(t.call))
        o.add("kind", .string(t.isCard ? "card" : "indicator"))
        o.add("phrase_end_s", .seconds(t.phraseEnd))
        if let words = t.wordsEnd { o.add("words_end_s", .seconds(words)) }
        o.add("latency_ms", ms(shown.map { $0 - spoken }))
        if let words = t.wordsEnd { o.add("from_words_ms", ms(shown.map { $0 - (origin + t.callOffset + words) })) }
        if !t.isCard {
            var stages = JSONObjectWriter()
            stages.add("recognition", ms(t.recognizedAt - spoken))
            stages.add("intent", ms(t.decidedAt - t.recognizedAt))
            stages.add("render", ms(shown.map { $0 - t.decidedAt }))
            o.add("stages_ms", .raw(stages.text))
        }
        if let peer { o.add("peer_ms", ms(PeerLatency.latency(after: t.callOffset + t.phraseEnd, in: peer))) }
        o.add("event", .raw(t.event.jsonLine))
        return o.text
    }

    /// One recording of a `--file` run and where it sits in the stream.
    struct Call {
        var name: String
        var offset: Int
        var samples: Int
        var entry: [String: Any]?
    }

    /// The manifest line whose `file` names this recording.
    static func entry(in manifest: String, for file: String) -> [String: Any]? {
        guard let text = try? String(contentsOfFile: manifest, encoding: .utf8) else { return nil }
        let base = (file as NSString).lastPathComponent
        for line in text.split(separator: "\n") {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let f = o["file"] as? String, (f as NSString).lastPathComponent == base else { continue }
            return o
        }
        return nil
    }
}
