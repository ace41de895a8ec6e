import ArgumentParser
import CrisisCueAudioIO
import CrisisCueCore
import CrisisCueSpeech
import Foundation
import Synchronization

extension CapturePacing: ExpressibleByArgument {}
extension ChannelBandwidth: ExpressibleByArgument {}

/// `crisiscue listen`: a live call from an ALSA capture device, with the same events as
/// `replay` (`call: "live"`).
public struct ListenCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Listen to a live call from an ALSA capture device and suggest transfers as the caller speaks.",
        discussion: """
            Captures with ALSA at the device's native rate and channel count when it does not \
            offer 16 kHz mono, and resamples with CrisisCue's own filter. Overruns, dropped \
            audio and an unplugged device are reported as `device` events; the device is \
            reopened when it comes back. Ctrl-C ends the session: the last words are decoded \
            and the summary printed. Run `crisiscue devices` to see the capture devices.
            """)

    @Option(help: ArgumentHelp("ALSA capture PCM: default, plughw:CARD=Headset,DEV=0, or one defined in an ALSA configuration file.", valueName: "NAME"))
    public var device = "default"

    @Option(help: "Output format: ui (the side panel; the default on a terminal), jsonl (JSON Lines) or text (the default otherwise).")
    public var format: OutputFormat?

    @Option(help: ArgumentHelp("With the panel: keep the session's events, the operator's accept/dismiss included, as JSON Lines.", valueName: "FILE"))
    public var log: String?

    @Flag(help: "With the panel: no colours (also when NO_COLOR is set).")
    public var noColor = false

    @Option(help: ArgumentHelp("Stop after this many seconds of audio (default: until interrupted).", valueName: "SECONDS"))
    public var duration: Double?

    @Option(name: .customLong("save-audio"), help: ArgumentHelp(
        "Keep what was heard as a WAV file (valid even if the process is killed; `replay` reads it).", valueName: "FILE.wav"))
    public var saveAudio: String?

    @Option(help: "Which side of a stereo device is the caller: left or right (the other side is decoded as the call-taker's), or mix.")
    public var channel: ChannelSelection = .mix

    @Option(help: "The audio's channel: wideband (a headset) or telephone (a phone-line tap). Default: from the capture rate.")
    public var bandwidth: ChannelBandwidth?

    @Option(help: .hidden)
    public var devicePacing: CapturePacing = .device

    @Option(help: .hidden)
    public var deviceFormat: String?

    @Option(help: .hidden)
    public var periodMs: Double = 20

    /// Fault drill: `overrun@READ[:LOSTFRAMES]`, `suspend@READ`, `unplug@READ[:FAILEDOPENS]`,
    /// comma-separated; READ counts the device's reads from 0.
    @Option(help: .hidden)
    public var injectFaults: String?

    @OptionGroup public var model: ModelOptions

    @OptionGroup public var intent: IntentOptions

    public init() {}

    public func validate() throws {
        if format == .ui && !Terminal.isInteractive { throw ValidationError("--format ui needs a terminal; use text or jsonl") }
        if log != nil && resolvedFormat != .ui { throw ValidationError("--log is for the panel (--format ui); the other formats write events to stdout") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if !(5...100).contains(periodMs) { throw ValidationError("--period-ms must be between 5 and 100") }
        if let injectFaults, Self.parseFaults(injectFaults) == nil {
            throw ValidationError("--inject-faults takes overrun@N[:FRAMES], suspend@N, unplug@N[:FAILED_OPENS], comma-separated")
        }
        if let deviceFormat, Self.parseFormat(deviceFormat) == nil {
            throw ValidationError("--device-format must look like 48000x2 (rate x channels)")
        }
    }

    /// The panel on a terminal, text otherwise, unless --format says.
    var resolvedFormat: OutputFormat { format ?? (Terminal.isInteractive ? .ui : .text) }

    static func parseFaults(_ text: String) -> [Int: FaultInjectingCaptureDevice.Fault]? {
        var faults: [Int: FaultInjectingCaptureDevice.Fault] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "@")
            guard parts.count == 2 else { return nil }
            let where_ = parts[1].split(separator: ":")
            guard let read = Int(where_[0]), read >= 0, where_.count <= 2 else { return nil }
            let extra = where_.count == 2 ? Int(where_[1]) : nil
            if where_.count == 2 && extra == nil { return nil }
            switch parts[0] {
            case "overrun": faults[read] = .overrun(lostFrames: extra ?? 0)
            case "suspend": faults[read] = .suspend
            case "unplug": faults[read] = .unplug(failedOpens: extra ?? 1)
            default: return nil
            }
        }
        return faults
    }

    static func parseFormat(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "x")
        guard parts.count == 2, let r = Int(parts[0]), let c = Int(parts[1]), (4000...384_000).contains(r), (1...32).contains(c)
        else { return nil }
        return (r, c)
    }

    public func run() throws {
        let (configuration, intentModel) = try model.load(intent)
        if !model.verbose { ALSACaptureDevice.silenceLibraryMessages() }

        var options = CaptureLoop.Options()
        options.pacing = devicePacing
        options.request.periodSeconds = periodMs / 1000
        if let f = deviceFormat.flatMap(Self.parseFormat) { options.request.forced = f }
        let name = device
        let faults = injectFaults.flatMap(Self.parseFaults) ?? [:]
        let loop = CaptureLoop(options: options) {
            let alsa: CaptureDevice = ALSACaptureDevice(name: name)
            return faults.isEmpty ? alsa : FaultInjectingCaptureDevice(wrapping: alsa, faults: faults)
        }
        let interrupts = Interrupts()

        // The device is tried first, so that a missing one is reported at once; capture
        // starts only once the recognizer is loaded, so no audio waits for it.
        let probe = ALSACaptureDevice(name: device)
        let probed: CaptureFormat
        do {
            probed = try probe.open(options.request)
            probe.close()
        } catch {
            LineWriter.standardError.write(Self.openFailure(error))
            throw ExitCode(1)
        }
        var panel: PanelRun?
        if resolvedFormat == .ui {
            do {
                panel = try PanelRun(
                    call: "live", source: device, sampleRate: probed.sampleRate, logPath: log,
                    color: !noColor && !ProcessEnvironment.noColor, pause: nil, stop: { loop.stop() })
            } catch {
                LineWriter.standardError.write("crisiscue: --log: \(error)")
                throw ExitCode(1)
            }
        }
        interrupts.install { [panel] in
            loop.stop()
            panel?.requestQuit()
        }
        var recorder: WAVRecorder?
        if let saveAudio {
            do {
                recorder = try WAVRecorder(path: saveAudio, sampleRate: probed.sampleRate, channels: probed.channels)
            } catch {
                LineWriter.standardError.write("crisiscue: --save-audio: \(error)")
                throw ExitCode(1)
            }
        }

        let format = resolvedFormat
        let channel = self.channel
        let duration = self.duration
        let device = self.device
        let stereoCaller = probed.channels > 1 && channel != .mix
        let callStart = intent.at == nil ? Date() : intent.callStart(for: intentModel)
        let bandwidth = self.bandwidth ?? .forSampleRate(probed.sampleRate)
        let outcome = Mutex<(failed: Bool, message: String?)>((false, nil))
        let handedOver = UncheckedBox(recorder)
        let done = DispatchSemaphore(value: 0)
        let summaryEvent = Mutex<CallEvent?>(nil)
        panel?.start()
        let decoder = Thread { [panel] in
            defer { done.signal() }
            let recorder = handedOver.value
            let emit: (CallEvent) -> Void = { event in
                if case .summary = event.payload { summaryEvent.withLock { $0 = event } }
                if let panel {
                    panel.emit(event)
                } else if let line = EventFormatter.line(event, format: format) {
                    LineWriter.standardOutput.write(line)
                }
            }
            let recognizer: PocketSphinxRecognizer
            // Stereo with the caller's side named: the other side is decoded apart as the
            // call-taker's, by a second decoder on this thread.
            var takerRecognizer: PocketSphinxRecognizer?
            do {
                recognizer = try PocketSphinxRecognizer(configuration: configuration.with(bandwidth: bandwidth))
                if stereoCaller { takerRecognizer = try PocketSphinxRecognizer(configuration: configuration.with(bandwidth: bandwidth)) }
            } catch {
                outcome.withLock { $0 = (true, "\(error)") }
                return
            }
            let ring: AudioRing
            let captureFormat: CaptureFormat
            do throws(CaptureOpenError) {
                (ring, captureFormat) = try loop.start()
            } catch {
                outcome.withLock { $0 = (true, Self.openFailure(error)) }
                return
            }
            if interrupts.isRequested { loop.stop() }
            let otherChannel: ChannelSelection? = takerRecognizer != nil && captureFormat.channels > 1 ? (channel == .left ? .right : .left) : nil
            let source = LiveAudioSource(
                ring: ring, format: captureFormat, device: device, channel: channel, clock: MonotonicClock(),
                maxSeconds: duration, otherChannel: otherChannel, stopCapture: { loop.stop() })
            var taker: CallRunner.OtherSide?
            if let side = source.otherSide, let takerRecognizer { taker = CallRunner.OtherSide(source: side, recognizer: takerRecognizer) }
            if let recorder { source.recorder = { recorder.append($0) } }
            var call = CallSession(
                call: "live", channelSpeaker: stereoCaller ? .caller : .unknown, intent: intentModel, callStart: callStart)
            let never = Atomic<Bool>(false)
            var runner = CallRunner(pace: .fast, blockSeconds: 0.1, bandwidth: bandwidth)
            if let panel { runner.monitor = { level, t in panel.panel.monitor(levelDB: level, t: t) } }
            let result = runner.run(source: source, recognizer: recognizer, taker: taker, session: &call, cancel: never, emit: emit)
            loop.stop()
            _ = loop.join(timeout: 1)
            var summary = call.summary(audioSeconds: result.audioSeconds, processingSeconds: result.processingSeconds)
            if case .summary(var s) = summary.payload {
                let h = source.handoff
                let stats = loop.statistics
                s.capture = CaptureSummary(
                    device: device, sampleRate: captureFormat.sampleRate, channels: captureFormat.channels,
                    periodFrames: captureFormat.periodFrames, overruns: stats.overruns.load(ordering: .relaxed),
                    droppedSeconds: Double(stats.droppedFrames.load(ordering: .relaxed)) / Double(captureFormat.sampleRate),
                    losses: stats.losses.load(ordering: .relaxed),
                    handoffP50Ms: Double(h.valueAtPercentile(50)) / 1000, handoffP99Ms: Double(h.valueAtPercentile(99)) / 1000,
                    handoffMaxMs: Double(h.max) / 1000, queueP99Ms: Double(source.queueing.valueAtPercentile(99)) / 1000,
                    captureCPUPercent: stats.cpuShare * 100)
                summary.payload = .summary(s)
            }
            emit(summary)
            recorder?.close()
            outcome.withLock { $0 = (result.failed || recorder?.failure != nil, recorder?.failure.map { "--save-audio: \($0)" }) }
        }
        decoder.name = "crisiscue-decoder"
        decoder.stackSize = 4 << 20
        decoder.start()
        done.wait()
        if let panel {
            panel.waitForQuit()
            panel.close(summary: summaryEvent.withLock { $0 })
        }
        let (failed, message) = outcome.withLock { $0 }
        if let message { LineWriter.standardError.write(message.hasPrefix("crisiscue:") ? message : "crisiscue: \(message)") }
        if failed { throw ExitCode(1) }
    }

    /// The message for a device that cannot be opened, with what `devices` would show.
    static func openFailure(_ error: CaptureOpenError) -> String {
        var lines = ["crisiscue: \(error)"]
        let pcms = ALSADeviceCatalog.capturePCMs(cards: ALSADeviceCatalog.cards()).filter { $0.problem == nil }
        if pcms.isEmpty {
            lines.append("crisiscue: no capture device can be opened on this machine (`crisiscue devices` lists what ALSA knows).")
        } else {
            lines.append("crisiscue: capture devices that open (from `crisiscue devices`): " + pcms.map(\.name).joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

/// Hands a non-Sendable value to the one thread that will use it from then on.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
