#if canImport(Glibc)
import Glibc
#endif
import CrisisCueAudioIO
import CrisisCueCore
import Foundation
import Synchronization

/// The naive peer `eval --peer` scores beside CrisisCue: `pocketsphinx_continuous` (its
/// defaults, the tool a center would otherwise script around) transcribes the whole call,
/// and a plain keyword list decides: an exclusion word and a crisis word make `safety`, a
/// crisis word alone `transfer`, neither `none`. No negation, no call-taker questions, no
/// confusers, no tolerance for recognition errors beyond the list itself. The list is
/// what such a script would hold, written from shared/DOMAIN.md's categories, and is not
/// tuned on any split.
enum KeywordPeer {
    static let name = "pocketsphinx_continuous + keyword list"
    static let crisis: [String] = [
        "suicide", "suicidal", "kill myself", "kill himself", "kill herself", "end my life", "end his life",
        "end her life", "want to die", "wants to die", "depressed", "depression", "mental", "voices",
        "hallucinating", "paranoid", "schizophrenia", "schizophrenic", "bipolar", "psychotic", "medication",
        "meds", "psychiatric", "crisis", "panic", "anxiety", "drunk", "alcohol", "drinking", "drugs", "heroin",
        "meth", "fentanyl", "cocaine", "withdrawal", "homeless", "evicted", "shelter", "nowhere to sleep",
        "nowhere to stay", "confused", "dementia", "wandering", "welfare", "haven't heard from", "arguing",
    ]
    static let exclusions: [String] = [
        "gun", "guns", "pistol", "rifle", "shotgun", "knife", "knives", "weapon", "weapons", "shoot", "shot",
        "shooting", "stab", "stabbed", "hit", "hitting", "punched", "beat", "beating", "attacked", "assault",
        "threatening", "blood", "bleeding", "breathing", "unconscious", "overdose", "overdosed", "seizure",
        "chest pain", "hurt", "injured",
    ]

    /// The peer's decision on a transcript.
    static func decide(_ transcript: String) -> (action: SuggestedAction, crisis: [String], exclusions: [String]) {
        let words = transcript.lowercased().split { !$0.isLetter && $0 != "'" }.map(String.init)
        func found(_ list: [String]) -> [String] {
            list.filter { phrase in
                let p = phrase.split(separator: " ").map(String.init)
                guard p.count <= words.count else { return false }
                return (0...(words.count - p.count)).contains { i in Array(words[i..<(i + p.count)]) == p }
            }
        }
        let c = found(crisis), x = found(exclusions)
        return (c.isEmpty ? .none : x.isEmpty ? .transfer : .safety, c, x)
    }

    /// Every recording of `entries` transcribed and decided, `jobs` at a time; stops
    /// early (the rest reported as not run) once `cancelled` says so.
    static func evaluate(
        _ entries: [(id: String, label: SuggestedAction, keyEnd: Double?, file: String)], channel: ChannelSelection,
        jobs: Int, cancelled: @escaping @Sendable () -> Bool
    ) throws -> [Evaluation.Outcome] {
        let work = NSTemporaryDirectory() + "crisiscue-peer-\(getpid())"
        try PrivateFile.makeDirectory(work)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let results = Mutex([Evaluation.Outcome?](repeating: nil, count: entries.count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, entries.count))) { _ in
            while !cancelled() {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < entries.count else { return }
                let e = entries[i]
                var outcome: Evaluation.Outcome
                do {
                    let t = try transcribe(path: e.file, channel: channel, workDirectory: work)
                    let d = decide(t.text)
                    let reasons = (d.exclusions.map { ("exclusion", $0) } + d.crisis.map { ("crisis", $0) })
                        .map { SuggestionReason(category: $0.0, phrase: $0.1, t: 0) }
                    outcome = Evaluation.Outcome(
                        id: e.id, label: e.label, keyEnd: e.keyEnd, predicted: d.action, firstTransferT: nil, firstSafetyT: nil,
                        confidence: 1, reasons: reasons, audioSeconds: t.audioSeconds, processingSeconds: t.processingSeconds)
                } catch {
                    outcome = Evaluation.Outcome(
                        id: e.id, label: e.label, keyEnd: e.keyEnd, predicted: .none, firstTransferT: nil, firstSafetyT: nil,
                        confidence: 0, reasons: [], audioSeconds: 0, processingSeconds: 0, error: "\(error)")
                }
                results.withLock { $0[i] = outcome }
            }
        }
        return results.withLock { $0 }.compactMap { $0 }
    }

    struct Transcript {
        var text: String
        var audioSeconds: Double
        var processingSeconds: Double
    }

    enum Failure: Error, CustomStringConvertible {
        case tool(String)
        var description: String {
            switch self { case .tool(let m): return m }
        }
    }

    /// Transcribes `path` with `pocketsphinx_continuous -infile`: the recording (its
    /// `channel`) is resampled to 16 kHz 16-bit mono by CrisisCue's filter (the peer
    /// decodes nothing else) into a private temporary file, removed afterwards.
    static func transcribe(path: String, channel: ChannelSelection, workDirectory: String) throws -> Transcript {
        let source = try WAVFileSource(path: path, channel: channel)
        var resampler = Resampler(inputRate: source.sampleRate, outputRate: 16_000)
        var block: [Float] = [], wide: [Float] = []
        var samples = 0
        while try source.read(into: &block) {
            samples += block.count
            resampler.process(block, into: &wide)
        }
        resampler.flush(into: &wide)
        let wav = workDirectory + "/peer-\(UUID().uuidString).wav"
        defer { unlink(wav) }
        let bytes = WAVEncoder.file(wide, format: WAVFormat(encoding: .pcm(containerBits: 16), channels: 1, sampleRate: 16_000))
        guard FileManager.default.createFile(atPath: wav, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw Failure.tool("cannot write \(wav)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pocketsphinx_continuous", "-infile", wav, "-logfn", "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let started = ProcessInfo.processInfo.systemUptime
        do { try process.run() } catch { throw Failure.tool("cannot start pocketsphinx_continuous (package pocketsphinx): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure.tool("pocketsphinx_continuous exited with status \(process.terminationStatus)")
        }
        return Transcript(
            text: String(decoding: data, as: UTF8.self), audioSeconds: Double(samples) / Double(source.sampleRate),
            processingSeconds: ProcessInfo.processInfo.systemUptime - started)
    }
}
