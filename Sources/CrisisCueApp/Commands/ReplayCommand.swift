import ArgumentParser
import CrisisCueCore
import CrisisCueSpeech
import Foundation
import CrisisCueAudioIO
import Synchronization

extension ChannelSelection: ExpressibleByArgument {}
extension Pace: ExpressibleByArgument {}

/// `crisiscue replay PATH...`: recorded calls through the whole pipeline.
public struct ReplayCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded calls (WAV files, or folders searched for *.wav) through CrisisCue.",
        discussion: """
            Reads PCM (8/16/24/32-bit), float, G.711 mu-law and A-law WAV at any sample rate, \
            mono or stereo, streamed in bounded memory. Exit status: 0 when every input was \
            processed, 1 when some input failed (each reported as an error), 2 for a usage error.
            """)

    @Argument(help: ArgumentHelp("WAV files or folders.", valueName: "PATH"))
    public var paths: [String]

    @Option(help: "Output format: jsonl (JSON Lines), text, or ui (the side panel; with --pace realtime).")
    public var format: OutputFormat = .text

    @Option(help: ArgumentHelp("With --format ui: keep the session's events, the operator's accept/dismiss included, as JSON Lines.", valueName: "FILE"))
    public var log: String?

    @Flag(help: "With --format ui: no colours (also when NO_COLOR is set).")
    public var noColor = false

    @Option(help: "fast: as fast as the CPU allows; realtime: 1x, as if live.")
    public var pace: Pace = .fast

    @Option(help: "Which side of a stereo recording is the caller: left or right (the other side is decoded as the call-taker's), or mix.")
    public var channel: ChannelSelection = .mix

    @Option(help: ArgumentHelp(
        "Archive mode: each call's events in DIR/calls/<call>.jsonl, and DIR/summary.csv and summary.json; calls already complete there (same recording) are skipped (resume).",
        valueName: "DIR"))
    public var out: String?

    @Option(help: ArgumentHelp("Process only a deterministic K-th of N parts of the inputs (split an archive across machines).", valueName: "K/N"))
    public var shard: String?

    @Option(help: "Calls processed at once (each uses one core and its own decoder).")
    public var jobs: Int = 1

    @OptionGroup public var model: ModelOptions

    @OptionGroup public var intent: IntentOptions

    @Option(help: ArgumentHelp("The recorder's call list (CSV with call id, caller number, start time): repeat callers in the report and repeat_callers.csv.", valueName: "calls.csv"))
    public var metadata: String?

    public init() {}

    public func validate() throws {
        if jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be between 1 and 64") }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be K/N with 1 <= K <= N, e.g. 2/8") }
        if format == .ui {
            if pace != .realtime { throw ValidationError("--format ui replays a call as if live: add --pace realtime") }
            if out != nil || jobs != 1 { throw ValidationError("--format ui shows one call: leave out --out and --jobs") }
            if paths.count != 1 { throw ValidationError("--format ui shows one call: give one WAV file") }
            if !Terminal.isInteractive { throw ValidationError("--format ui needs a terminal; use text or jsonl") }
        } else if log != nil {
            throw ValidationError("--log is for --format ui (the other formats write the events to stdout)")
        }
    }

    public func run() throws {
        let (configuration, intentModel) = try model.load(intent)
        if let out {
            do {
                try PrivateFile.makeDirectory(out)
                try PrivateFile.makeDirectory(out + "/calls")
            } catch {
                FileHandle.standardError.write(Data("crisiscue: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        var callMetadata: CallMetadata?
        if let metadata {
            do { callMetadata = try CallMetadata.load(metadata) } catch {
                LineWriter.standardError.write("crisiscue: \(error)")
                throw ExitCode(2)
            }
        }
        var inputs = InputDiscovery.expand(paths)
        if let shard = shard.flatMap(Shard.init) { inputs = inputs.filter(shard.contains) }
        if format == .ui { return try runPanel(inputs, configuration: configuration, intentModel: intentModel) }
        var options = ReplayJob.Options(recognizer: configuration)
        options.channel = channel
        options.pace = pace
        options.jobs = jobs
        options.outputFolder = out
        options.intent = intentModel
        options.callStart = intent.at == nil ? nil : intent.callStart(for: intentModel)

        let format = self.format
        let quietStream = out != nil
        // One job, or an output folder (stdout then carries only the short events, each
        // line naming its call): lines go out as they come. Several jobs writing every
        // event to stdout keep each call's lines together instead.
        let streaming = jobs == 1 || quietStream
        if channel != .mix {
            LineWriter.standardError.write(
                "crisiscue: note: --channel decodes the two sides of a stereo recording apart, the other side as the call-taker's (about 1.5 times the CPU); on the development calls this was not more accurate than the default mix (README, \"Accuracy\")")
        }
        let interrupts = Interrupts()
        interrupts.install()
        let rows = Mutex([String: SummaryRow]())
        let progress = out == nil ? nil : ArchiveProgress(total: inputs.count)
        let job = ReplayJob(options: options, interrupts: interrupts, streaming: streaming, finished: { _, input in
            let audio = rows.withLock { $0[input.outputName]?.audioSeconds } ?? 0
            progress?.callDone(audioSeconds: audio)
        }) { events, input in
            rows.withLock { all in
                var row = all[input.outputName] ?? SummaryRow(call: input.call, file: input.path)
                for e in events { row.add(e) }
                if row.error == nil { row.log = "calls/\(input.outputName).jsonl" }
                all[input.outputName] = row
            }
            // With an output folder, stdout carries only summaries and errors.
            let shown = quietStream ? events.filter { if case .transcript = $0.payload { false } else { true } } : events
            LineWriter.standardOutput.write(shown.compactMap { EventFormatter.line($0, format: format) })
        }
        let outcomes = job.run(inputs)
        progress?.finish()
        if let out {
            // Every call finished (or failed) so far; a call cut short by an interrupt is left out.
            let finished = zip(inputs, outcomes).compactMap { input, outcome -> SummaryRow? in
                if case .cancelled = outcome { return nil }
                return rows.withLock { $0[input.outputName] }
            }
            do {
                try ArchiveSummary.writeAll(finished, logsUnder: { $0.log.map { out + "/" + $0 } }, to: out, metadata: callMetadata)
            } catch {
                LineWriter.standardError.write("crisiscue: \(error)")
                throw ExitCode(1)
            }
        }
        if interrupts.isRequested {
            let done = outcomes.filter { if case .cancelled = $0 { false } else { true } }.count
            var message = "crisiscue: interrupted after \(done) of \(inputs.count) calls"
            if let out { message += "; run the same command again to resume (finished calls are kept in \(out))" }
            LineWriter.standardError.write(message)
            throw ExitCode(130)
        }
        let failed = outcomes.contains { outcome in
            switch outcome {
            case .failed, .processed(failed: true): true
            default: false
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// One call replayed at 1x in the side panel.
    func runPanel(_ inputs: [CallInput], configuration: PocketSphinxRecognizer.Configuration, intentModel: IntentModel) throws {
        guard inputs.count == 1, let input = inputs.first, input.problem == nil else {
            LineWriter.standardError.write("crisiscue: \(inputs.first?.problem ?? "--format ui shows one call: give one WAV file")")
            throw ExitCode(1)
        }
        let rate: Int
        do { rate = try WAVFileSource(path: input.path, channel: channel).sampleRate } catch {
            LineWriter.standardError.write("crisiscue: \(input.path): \(error)")
            throw ExitCode(1)
        }
        let interrupts = Interrupts()
        let pause = PlaybackControl()
        let run: PanelRun
        do {
            run = try PanelRun(
                call: input.call, source: (input.path as NSString).lastPathComponent, sampleRate: rate, logPath: log,
                color: !noColor && !ProcessEnvironment.noColor, pause: pause, stop: { pause.end() })
        } catch {
            LineWriter.standardError.write("crisiscue: --log: \(error)")
            throw ExitCode(1)
        }
        interrupts.install { run.requestQuit() }
        var options = ReplayJob.Options(recognizer: configuration)
        options.channel = channel
        options.pace = .realtime
        options.intent = intentModel
        options.callStart = intent.at == nil ? nil : intent.callStart(for: intentModel)
        options.pause = pause
        options.monitor = { level, t in run.panel.monitor(levelDB: level, t: t) }
        let summary = Mutex<CallEvent?>(nil)
        run.start()
        let job = ReplayJob(options: options, interrupts: interrupts, streaming: true) { events, _ in
            for event in events {
                run.emit(event)
                if case .summary = event.payload { summary.withLock { $0 = event } }
            }
        }
        let outcome = job.run(inputs)
        run.waitForQuit()
        run.close(summary: summary.withLock { $0 }, stoppedAt: run.panel.state.t)
        if outcome.contains(where: { if case .processed(failed: true) = $0 { true } else if case .failed = $0 { true } else { false } }) {
            throw ExitCode(1)
        }
    }
}
