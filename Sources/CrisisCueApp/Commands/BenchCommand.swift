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
            is in the path; --device NAME listens to a real headset while you speak or play \
            scripted prompts (--duration, default 60 s). Every indicator heard is timed from the \
            end of its phrase (the recognizer's word times) to the frame that shows it; every \
            suggestion, to its card. The panel runs (headless when stdout is not a terminal).
            """)

    public enum BenchFormat: String, ExpressibleByArgument, Sendable { case text, json }

    @Option(help: ArgumentHelp("A WAV recording to feed through the pipeline at 1x.", valueName: "F.wav"))
    public var file: String?

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

    @Option(help: ArgumentHelp("A manifest ({file, label, key_end}) naming the file: times the decisive suggestion from the end of its line.", valueName: "FILE"))
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
        if (file == nil) == (device == nil) { throw ValidationError("give --file F.wav or --device NAME") }
        if peer && file == nil { throw ValidationError("--peer needs --file (the peer reads the same recording)") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
    }

    /// One timed event: an indicator shown in the transcript, or a suggestion's card.
    struct Timed {
        var isCard: Bool
        var phraseEnd: Double
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
        var callName = "live"
        var manifestEntry: [String: Any]?
        if let file {
            do {
                let source = try WAVFileSource(path: file, channel: channel)
                var block: [Float] = []
                while try source.read(into: &block) { samples += block }
                fileRate = source.sampleRate
            } catch {
                LineWriter.standardError.write("crisiscue: \(file): \(error)")
                throw ExitCode(1)
            }
            var pcm: [Int16] = []
            PCM16.convert(samples, into: &pcm)
            let raw = work + "/stream.raw"
            FileManager.default.createFile(atPath: raw, contents: pcm.withUnsafeBytes { Data($0) }, attributes: [.posixPermissions: 0o600])
            let conf = work + "/asound.conf"
            try "pcm.crisiscue_bench { type file; slave.pcm \"null\"; file \"/dev/null\"; infile \"\(raw)\"; format \"raw\" }\n"
                .write(toFile: conf, atomically: true, encoding: .utf8)
            let existing = ProcessEnvironment.value("ALSA_CONFIG_PATH") ?? "/usr/share/alsa/alsa.conf"
            setenv("ALSA_CONFIG_PATH", existing + ":" + conf, 1)
            deviceName = "crisiscue_bench"
            request.forced = (fileRate, 1)
            seconds = Double(samples.count) / Double(fileRate)
            callName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            if let manifest { manifestEntry = Self.entry(in: manifest, for: file) }
        }

        let audioLimit = seconds
        let call = callName
        var options = CaptureLoop.Options()
        options.request = request
        options.pacing = file == nil ? .device : (pace == .realtime ? .realtime : .fast)
        let name = deviceName
        let loop = CaptureLoop(options: options) { ALSACaptureDevice(name: name) }
        let interrupts = Interrupts()
        interrupts.install { loop.stop() }
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
            call: callName, source: file.map { ($0 as NSString).lastPathComponent } ?? deviceName, sampleRate: probed.sampleRate,
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
            var session = CallSession(call: call, channelSpeaker: .unknown, intent: intentModel, callStart: callStart)
            var runner = CallRunner(pace: .fast, blockSeconds: 0.1, bandwidth: bandwidth)
            runner.monitor = { level, t in panel.monitor(levelDB: level, t: t) }
            var stageTimes = (0.0, 0.0)
            var lastIndicatorEnd: Double?
            var timed: [Timed] = []
            runner.stages = { stageTimes = ($0, $1) }
            let never = Atomic<Bool>(false)
            let result = runner.run(source: source, recognizer: recognizer, session: &session, cancel: never) { event in
                let sequence = panel.post(event)
                switch event.payload {
                case .indicator(_, _, _, _, let end, _, _):
                    lastIndicatorEnd = end
                    timed.append(Timed(isCard: false, phraseEnd: end, recognizedAt: stageTimes.0, decidedAt: stageTimes.1, sequence: sequence, event: event))
                case .suggestion:
                    if let end = lastIndicatorEnd {
                        timed.append(Timed(isCard: true, phraseEnd: end, recognizedAt: stageTimes.0, decidedAt: stageTimes.1, sequence: sequence, event: event))
                    }
                default: break
                }
            }
            loop.stop()
            _ = loop.join(timeout: 1)
            let summary = session.summary(audioSeconds: result.audioSeconds, processingSeconds: result.processingSeconds)
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
        var endToEnd = LatencyStats(), card = LatencyStats()
        var phraseEnds: [Double] = [], cardEnds: [Double] = []
        for t in m.timed {
            guard let shown = panel.screenTime(of: t.sequence) else { continue }
            let spoken = origin + t.phraseEnd
            if t.isCard {
                card.record(seconds: shown - spoken)
                cardEnds.append(t.phraseEnd)
            } else {
                recognition.record(seconds: t.recognizedAt - spoken)
                intentStage.record(seconds: t.decidedAt - t.recognizedAt)
                render.record(seconds: shown - t.decidedAt)
                endToEnd.record(seconds: shown - spoken)
                phraseEnds.append(t.phraseEnd)
            }
        }
        var decisive: (label: String, keyEnd: Double, ms: Double?)?
        if let entry = manifestEntry, let label = entry["label"] as? String, let keyEnd = entry["key_end"] as? Double {
            let first = m.timed.first { t in
                if t.isCard, case .suggestion(let action, _, _, _) = t.event.payload { return action.rawValue == label }
                return false
            }
            let ms = first.flatMap { panel.screenTime(of: $0.sequence) }.map { ($0 - (origin + keyEnd)) * 1000 }
            decisive = (label, keyEnd, ms)
        }

        var peerStats: (endToEnd: LatencyStats, card: LatencyStats, lines: Int)?
        if peer {
            do {
                let run = try PeerLatency.run(samples: samples, rate: fileRate, workDirectory: work)
                var e = LatencyStats(), c = LatencyStats()
                for end in phraseEnds { if let l = PeerLatency.latency(after: end, in: run) { e.record(seconds: l) } }
                for end in cardEnds { if let l = PeerLatency.latency(after: end, in: run) { c.record(seconds: l) } }
                peerStats = (e, c, run.lines.count)
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
            source: file ?? deviceName, audioSeconds: summary.audioSeconds, rtf: summary.rtf,
            stages: [("capture", m.capture), ("handoff", m.handoff), ("recognition", recognition), ("intent", intentStage), ("render", render)],
            endToEnd: endToEnd, card: card, decisive: decisive, peer: peerStats,
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
