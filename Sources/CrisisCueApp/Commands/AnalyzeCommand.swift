import ArgumentParser
import CrisisCueCore
import Foundation

/// `crisiscue analyze`: the intent stage alone, on a typed transcript.
public struct AnalyzeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Run the intent stage on text: one call per input, one turn a line.",
        discussion: """
            Lines may start with 'caller:' or 'taker:'; without a prefix the speaker is \
            inferred from what is said (a call-taker's questions are not evidence). Emits the \
            same indicator, suggestion and summary events as replay, with word times at a calm \
            speaking rate.
            """)

    @Argument(help: ArgumentHelp("The call's text (or use --file, or '-' for standard input).", valueName: "TEXT"))
    public var text: String?

    @Option(name: .customLong("file"), help: ArgumentHelp("Text files, one call each.", valueName: "F"))
    public var files: [String] = []

    @Option(help: "Output format: jsonl (JSON Lines) or text.")
    public var format: OutputFormat = .text

    @OptionGroup public var intent: IntentOptions

    public init() {}

    public func validate() throws {
        if text == nil && files.isEmpty { throw ValidationError("give the text, --file F, or '-' to read standard input") }
        if format == .ui { throw ValidationError("--format ui is for live calls; use jsonl or text") }
    }

    public func run() throws {
        let model: IntentModel
        do { model = try intent.model() } catch {
            LineWriter.standardError.write("crisiscue: \(error)")
            throw ExitCode(1)
        }
        var inputs: [(call: String, text: String?)] = []
        if let text {
            if text == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                inputs.append(("stdin", String(decoding: data, as: UTF8.self)))
            } else {
                inputs.append(("text", text))
            }
        }
        for file in files {
            let call = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            inputs.append((call, FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }))
        }
        var failed = false
        for (call, text) in inputs {
            guard let text else {
                failed = true
                let event = CallEvent(call: call, t: 0, payload: .error(message: "cannot read \(call): no such file or not readable"))
                LineWriter.standardOutput.write(EventFormatter.line(event, format: format) ?? "")
                continue
            }
            let events = Self.analyze(TypedTranscript(text: text), call: call, model: model, callStart: intent.callStart(for: model))
            LineWriter.standardOutput.write(events.compactMap { EventFormatter.line($0, format: format) })
        }
        if failed { throw ExitCode(1) }
    }

    /// The events of one typed call, ending with its summary.
    public static func analyze(_ transcript: TypedTranscript, call: String, model: IntentModel, callStart: Date) -> [CallEvent] {
        let clock = ContinuousClock()
        let began = clock.now
        var session = CallSession(call: call, intent: model, callStart: callStart)
        var events: [CallEvent] = []
        let (turns, seconds) = transcript.hypotheses()
        for (hypothesis, speaker) in turns {
            events += session.handle(.final(hypothesis), at: hypothesis.end, speaker: speaker)
        }
        let elapsed = clock.now - began
        let processing = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        events.append(session.summary(audioSeconds: seconds, processingSeconds: processing))
        return events
    }
}
