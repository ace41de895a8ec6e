import ArgumentParser
import CrisisCueCore
import CrisisCueSpeech
import Foundation
import Synchronization
import Yams

/// `crisiscue eval MANIFEST`: scores a configuration on labelled calls.
public struct EvalCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score CrisisCue on labelled calls: accuracy, per-class precision and recall, unsafe transfers, latency.",
        discussion: """
            MANIFEST is JSON Lines, one call a line: {"file": "call.wav", "label": "transfer|safety|none", \
            "key_end": 21.6} (file relative to the manifest; key_end: audio seconds at the end of \
            the line that makes the label decidable; "id" optional). A YAML list of call scripts \
            (audio-fixtures/calls/*.yaml) is scored on its text, through the intent stage alone.
            """)

    @Argument(help: ArgumentHelp("Labelled calls (.jsonl manifest of WAV files, or .yaml call scripts).", valueName: "MANIFEST"))
    public var manifest: String

    @Option(help: "Output format: text (a table) or json.")
    public var format: ReportFormat = .text

    @Option(help: "Calls decoded at once.")
    public var jobs: Int = 1

    @Option(help: "Which side of stereo recordings is the caller: left or right (the other side is decoded as the call-taker's), or mix.")
    public var channel: ChannelSelection = .mix

    @Option(help: ArgumentHelp("Keep every call's events as DIR/<id>.jsonl (mode 0600), to see why a call went wrong.", valueName: "DIR"))
    public var out: String?

    @Option(name: .customLong("rescore"), help: ArgumentHelp(
        "Re-run only the intent stage on the transcripts kept by an earlier --out DIR (no decoding): a quick check of an intent model change.",
        valueName: "DIR"))
    public var rescore: String?

    @Flag(name: .customLong("peer"), help: ArgumentHelp(
        "Also score the naive peer on the same recordings, side by side: pocketsphinx_continuous's transcript and a plain keyword list."))
    public var peer = false

    @OptionGroup public var model: ModelOptions

    @OptionGroup public var intent: IntentOptions

    public init() {}

    public enum ReportFormat: String, ExpressibleByArgument, Sendable { case text, json }

    public func validate() throws {
        if jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be between 1 and 64") }
    }

    struct Entry {
        var id: String
        var label: SuggestedAction
        var keyEnd: Double?
        var file: String?
        var transcript: TypedTranscript?
        var keyLine: Int?
        var problem: String?
        var truth: Set<String>?
    }

    public func run() throws {
        let intentModel: IntentModel
        let entries: [Entry]
        do {
            intentModel = try intent.model()
            entries = try Self.readManifest(manifest, audioNeeded: rescore == nil)
        } catch {
            LineWriter.standardError.write("crisiscue: \(error)")
            throw ExitCode(1)
        }
        let start = intent.callStart(for: intentModel)
        if let out {
            do { try PrivateFile.makeDirectory(out) } catch {
                LineWriter.standardError.write("crisiscue: \(error)")
                throw ExitCode(1)
            }
        }
        func keep(_ id: String, _ events: [CallEvent]) {
            guard let out else { return }
            let text = events.map(\.jsonLine).joined(separator: "\n") + "\n"
            do { try PrivateFile.writeAtomically(text, to: "\(out)/\(id).jsonl") } catch {
                LineWriter.standardError.write("crisiscue: \(error)")
            }
        }
        var outcomes: [Evaluation.Outcome] = []
        let audio = entries.filter { $0.file != nil }
        let typed = entries.filter { $0.transcript != nil }
        for e in entries where e.problem != nil {
            outcomes.append(Self.failed(e, e.problem!))
        }
        for e in typed {
            let events = AnalyzeCommand.analyze(e.transcript!, call: e.id, model: intentModel, callStart: start)
            var entry = e
            if let k = e.keyLine {
                let turns = e.transcript!.hypotheses().turns
                if k < turns.count { entry.keyEnd = turns[k].0.end }
            }
            outcomes.append(Self.outcome(entry, events))
            keep(e.id, events)
        }
        if let rescore, !audio.isEmpty {
            for e in audio {
                guard let events = Self.rescored(e, folder: rescore, model: intentModel, callStart: start) else {
                    outcomes.append(Self.failed(e, "no kept events for \(e.id) in \(rescore)"))
                    continue
                }
                outcomes.append(Self.outcome(e, events))
                keep(e.id, events)
            }
        } else if !audio.isEmpty {
            let configuration: PocketSphinxRecognizer.Configuration
            do { configuration = try model.recognizerConfiguration() } catch {
                LineWriter.standardError.write("crisiscue: \(error)")
                throw ExitCode(1)
            }
            var options = ReplayJob.Options(recognizer: configuration)
            options.jobs = jobs
            options.channel = channel
            options.intent = intentModel
            options.callStart = start
            let inputs = audio.map { e in
                CallInput(path: e.file!, call: e.id, outputName: e.id, problem: nil)
            }
            let collected = Mutex([String: [CallEvent]]())
            let interrupts = Interrupts()
            interrupts.install()
            let progress = Atomic<Int>(0)
            let total = inputs.count
            let job = ReplayJob(options: options, interrupts: interrupts, streaming: false) { events, input in
                collected.withLock { $0[input.path, default: []] += events }
                let done = progress.add(1, ordering: .relaxed).newValue
                if isatty(STDERR_FILENO) != 0 {
                    LineWriter.standardError.write("eval: \(done)/\(total) \(input.call)")
                }
            }
            _ = job.run(inputs)
            if interrupts.isRequested {
                LineWriter.standardError.write("crisiscue: eval interrupted; no report")
                throw ExitCode(130)
            }
            let byPath = collected.withLock { $0 }
            for e in audio {
                outcomes.append(Self.outcome(e, byPath[e.file!] ?? []))
                keep(e.id, byPath[e.file!] ?? [])
            }
        }
        let evaluation = Evaluation(outcomes: outcomes)
        var peerEvaluation: Evaluation?
        if peer && !audio.isEmpty {
            let interrupts = Interrupts()
            interrupts.install()
            do {
                let peerOutcomes = try KeywordPeer.evaluate(
                    audio.map { ($0.id, $0.label, $0.keyEnd, $0.file!) }, channel: channel, jobs: jobs) { interrupts.isRequested }
                if interrupts.isRequested {
                    LineWriter.standardError.write("crisiscue: eval interrupted; no report")
                    throw ExitCode(130)
                }
                peerEvaluation = Evaluation(outcomes: peerOutcomes)
            } catch let e as ExitCode {
                throw e
            } catch {
                LineWriter.standardError.write("crisiscue: --peer: \(error)")
                throw ExitCode(1)
            }
        }
        switch format {
        case .text:
            LineWriter.standardOutput.write(EvaluationReport.table(evaluation, source: manifest))
            if let peerEvaluation {
                LineWriter.standardOutput.write([""] + EvaluationReport.table(peerEvaluation, source: manifest, tool: KeywordPeer.name))
            }
        case .json:
            LineWriter.standardOutput.write(EvaluationReport.json(evaluation, source: manifest, peer: peerEvaluation))
        }
        if outcomes.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    /// The events of a call re-run through the intent stage from the transcript events
    /// an earlier run kept (word times spread evenly over each hypothesis).
    static func rescored(_ e: Entry, folder: String, model: IntentModel, callStart: Date) -> [CallEvent]? {
        guard let data = FileManager.default.contents(atPath: "\(folder)/\(e.id).jsonl") else { return nil }
        var session = CallSession(call: e.id, intent: model, callStart: callStart)
        var events: [CallEvent] = []
        var summary: [String: Any]?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], let type = o["type"] as? String else { continue }
            if type == "summary" { summary = o }
            guard type == "transcript", let text = o["text"] as? String, let start = o["start"] as? Double,
                let end = o["end"] as? Double, let t = o["t"] as? Double, let final = o["final"] as? Bool
            else { continue }
            let tokens = text.split(separator: " ").map(String.init)
            let step = tokens.isEmpty ? 0 : (end - start) / Double(tokens.count)
            // Word confidences where the run kept them (finals of recognizers that give them).
            let confidences = (o["word_confidence"] as? [Double]).flatMap { $0.count == tokens.count ? $0 : nil }
            let words = tokens.enumerated().map { i, w in
                RecognizedWord(text: w, start: start + Double(i) * step, end: start + Double(i + 1) * step, confidence: confidences?[i])
            }
            let h = Hypothesis(words: words, isFinal: final, start: start, end: end, heardUntil: t)
            let speaker = (o["speaker"] as? String).flatMap(Speaker.init(rawValue:))
            events += session.handle(final ? .final(h) : .partial(h), at: t, speaker: speaker == .unknown ? nil : speaker)
        }
        guard let summary, let audio = summary["audio_seconds"] as? Double else { return nil }
        events.append(session.summary(audioSeconds: audio, processingSeconds: summary["processing_seconds"] as? Double ?? 0))
        return events
    }

    static func failed(_ e: Entry, _ message: String) -> Evaluation.Outcome {
        Evaluation.Outcome(
            id: e.id, label: e.label, keyEnd: e.keyEnd, predicted: .none, firstTransferT: nil, firstSafetyT: nil,
            confidence: 0, reasons: [], audioSeconds: 0, processingSeconds: 0, error: message)
    }

    static func outcome(_ e: Entry, _ events: [CallEvent]) -> Evaluation.Outcome {
        var confidence = 0.0
        var reasons: [SuggestionReason] = []
        var error: String?
        var summary: CallSummary?
        var fired: Set<String> = []
        var shown = SuggestedAction.none
        for event in events {
            switch event.payload {
            case .indicator(_, let category, _, _, _, let negated, let speaker, _):
                if !negated && speaker != .taker { fired.insert(category) }
            case .suggestion(let a, let r, let c, _):
                shown = a
                confidence = c
                reasons = r
            case .summary(let s): summary = s
            case .error(let m): error = m
            default: break
            }
        }
        guard let summary else { return failed(e, error ?? "no result") }
        var outcome = Evaluation.Outcome(
            id: e.id, label: e.label, keyEnd: e.keyEnd, predicted: summary.action,
            firstTransferT: summary.firstTransferT, firstSafetyT: summary.firstSafetyT, confidence: confidence,
            reasons: reasons, audioSeconds: summary.audioSeconds, processingSeconds: summary.processingSeconds, error: error)
        outcome.truth = e.truth
        outcome.fired = fired
        outcome.shown = shown
        return outcome
    }

    struct ManifestProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// The calls of a manifest. With `audioNeeded` false (`--rescore`: only the kept
    /// transcripts are read) a recording that is no longer there is not a problem.
    static func readManifest(_ path: String, audioNeeded: Bool = true) throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestProblem(description: "cannot read manifest \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let folder = (path as NSString).deletingLastPathComponent
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
            return try readScripts(text, file: path)
        }
        var entries: [Entry] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                throw ManifestProblem(description: "\(path), line \(n + 1): not a JSON object")
            }
            guard let file = object["file"] as? String else {
                throw ManifestProblem(description: "\(path), line \(n + 1): missing \"file\"")
            }
            guard let labelText = object["label"] as? String, let label = SuggestedAction(rawValue: labelText) else {
                throw ManifestProblem(description: "\(path), line \(n + 1): \"label\" must be transfer, safety or none")
            }
            let full = file.hasPrefix("/") ? file : (folder as NSString).appendingPathComponent(file)
            let id = object["id"] as? String ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            var entry = Entry(id: id, label: label, keyEnd: object["key_end"] as? Double, file: full)
            if let c = object["categories"] as? [String], let x = object["exclusions"] as? [String] { entry.truth = Set(c + x) }
            if audioNeeded && !FileManager.default.fileExists(atPath: full) {
                entry.file = nil
                entry.problem = "no such file: \(full)"
            }
            entries.append(entry)
        }
        return entries
    }

    struct Script: Decodable {
        var id: String
        var label: SuggestedAction
        var key_line: Int?
        var categories: [String]?
        var exclusions: [String]?
        var lines: [[String: String]]
    }

    static func readScripts(_ text: String, file: String) throws -> [Entry] {
        let scripts: [Script]
        do { scripts = try YAMLDecoder().decode([Script].self, from: text) } catch {
            throw ManifestProblem(description: "\(file): not a list of call scripts (\(error))")
        }
        return scripts.map { s in
            // Speakers are left for the intent stage to infer, as on mixed call audio.
            let turns = s.lines.compactMap { line in line.first.map { TypedTranscript.Turn(speaker: nil, text: $0.value) } }
            var entry = Entry(id: s.id, label: s.label, keyEnd: nil, file: nil, transcript: TypedTranscript(turns: turns), keyLine: s.key_line)
            if let c = s.categories, let x = s.exclusions { entry.truth = Set(c + x) }
            return entry
        }
    }
}
