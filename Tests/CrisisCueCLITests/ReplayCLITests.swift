import CrisisCueCore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("crisiscue replay", .serialized)
struct ReplayCLITests {
    let telephoneCall = CLIRunner.samples + "/tune-078-tel.wav"

    @Test("an 8 kHz mu-law call in text mode: a plausible transcript and a summary")
    func textMode() throws {
        let r = try CLIRunner.run(["replay", telephoneCall, "--format", "text"])
        #expect(r.status == 0, "\(r.stderr)")
        let transcript = r.lines.filter { $0.hasPrefix("tune-078-tel ") && !$0.contains("summary") }
        #expect(transcript.count >= 3)
        // Words of the script (a caller worried about a relative) that the recognizer keeps even on telephone audio.
        let text = transcript.joined(separator: " ")
        let reference = try scriptWords("tune-078")
        let heard = Set(TranscriptNormalizer.words(text))
        let content = reference.filter { $0.count >= 5 }
        let recall = Double(content.filter(heard.contains).count) / Double(content.count)
        // Telephone band-limiting roughly triples the wideband model's word error on these
        // voices (see README, "Recognition"); a third of the content words is what a
        // plausible transcript keeps, and far above what garbage or silence would give.
        #expect(recall > 0.3, "only \(recall) of the script's longer words were heard")
        #expect(r.lines.last?.contains("summary") == true)
        #expect(r.stderr.isEmpty, "sphinxbase logging must be silent: \(r.stderr.prefix(300))")
    }

    @Test("the same call in jsonl mode: valid JSON Lines with the contract's fields")
    func jsonlMode() throws {
        let r = try CLIRunner.run(["replay", telephoneCall, "--format", "jsonl"])
        #expect(r.status == 0)
        let objects = try r.jsonObjects()
        #expect(objects.count > 10)
        var lastT = 0.0
        for o in objects {
            #expect(o["call"] as? String == "tune-078-tel")
            let t = try #require(o["t"] as? Double)
            #expect(t >= lastT)
            lastT = t
        }
        let transcripts = objects.filter { $0["type"] as? String == "transcript" }
        #expect(transcripts.contains { $0["final"] as? Bool == false })
        #expect(transcripts.contains { $0["final"] as? Bool == true })
        for o in transcripts {
            #expect(o["text"] is String && o["start"] is Double && o["end"] is Double)
            #expect(["caller", "taker", "unknown"].contains(o["speaker"] as? String ?? ""))
        }
        let summary = try #require(objects.last)
        #expect(summary["type"] as? String == "summary")
        #expect(summary["action"] as? String != nil)
        #expect(summary.keys.contains("first_transfer_t") && summary.keys.contains("first_safety_t"))
        let audio = try #require(summary["audio_seconds"] as? Double)
        #expect(abs(audio - 40.24) < 0.05)
        #expect((summary["rtf"] as? Double ?? 1) < 1)
    }

    @Test("bad inputs each get an error; the good one is still processed; exit status 1")
    func badInputs() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try Data(contentsOf: URL(fileURLWithPath: telephoneCall))
        FileManager.default.createFile(atPath: dir + "/notwav.wav", contents: Data("this is not audio at all, just text".utf8))
        FileManager.default.createFile(atPath: dir + "/truncated.wav", contents: good.prefix(20000))
        FileManager.default.createFile(atPath: dir + "/empty.wav", contents: Data())
        var zero = good.prefix(58)
        zero.replaceSubrange(54..<58, with: [0, 0, 0, 0])  // data size 0, no audio after it
        FileManager.default.createFile(atPath: dir + "/zero.wav", contents: zero)
        var adpcm = good
        adpcm.replaceSubrange(20..<22, with: [0x11, 0x00])
        FileManager.default.createFile(atPath: dir + "/adpcm.wav", contents: adpcm)
        var absurd = good
        absurd.replaceSubrange(16..<20, with: [0xFF, 0xFF, 0xFF, 0x7F])
        FileManager.default.createFile(atPath: dir + "/absurd.wav", contents: absurd)
        mkfifo(dir + "/fifo.wav", 0o600)
        let r = try CLIRunner.run(
            ["replay", dir + "/notwav.wav", dir + "/truncated.wav", dir + "/empty.wav", dir + "/zero.wav",
             dir + "/adpcm.wav", dir + "/absurd.wav", dir + "/fifo.wav", dir + "/missing.wav", telephoneCall,
             "--format", "jsonl"], timeout: 60)
        #expect(r.status == 1)
        let objects = try r.jsonObjects()
        func errors(_ call: String) -> [String] {
            objects.filter { $0["call"] as? String == call && $0["type"] as? String == "error" }.compactMap { $0["message"] as? String }
        }
        #expect(errors("notwav").first?.contains("not a WAV file") == true)
        #expect(errors("truncated").first?.contains("truncated") == true)
        #expect(errors("empty").first?.contains("empty") == true)
        #expect(errors("zero").first?.contains("no audio") == true)
        #expect(errors("adpcm").first?.contains("IMA ADPCM") == true)
        #expect(errors("absurd").first?.contains("fmt") == true)
        #expect(errors("fifo").first?.contains("not a regular file") == true)
        #expect(errors("missing").first?.contains("no such file") == true)
        // The truncated file's audio was still processed: it has a summary with ~2 s of audio.
        let truncatedSummary = objects.first { $0["call"] as? String == "truncated" && $0["type"] as? String == "summary" }
        #expect(((truncatedSummary?["audio_seconds"] as? Double) ?? 0) > 2)
        #expect(objects.contains { $0["call"] as? String == "tune-078-tel" && $0["type"] as? String == "summary" })
    }

    @Test("bad input in text mode reads as a sentence")
    func textErrors() throws {
        let r = try CLIRunner.run(["replay", "/nonexistent/call.wav", "--format", "text"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("call error: no such file: /nonexistent/call.wav"))
    }

    @Test("usage errors exit 2")
    func usage() throws {
        #expect(try CLIRunner.run(["replay", telephoneCall, "--jobs", "0"]).status == 2)
        #expect(try CLIRunner.run(["replay", telephoneCall, "--channel", "middle"]).status == 2)
        #expect(try CLIRunner.run(["replay"]).status == 2)
    }

    @Test("a missing model is a clear message and exit 1, not a library exit")
    func missingModel() throws {
        let r = try CLIRunner.run(["replay", telephoneCall, "--model-dir", "/nonexistent/model"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("speech model not found"))
    }

    @Test("folders are searched; --out keeps private per-call logs; a second run resumes")
    func outputFolderAndResume() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/calls/sub", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLIRunner.samples + "/tune-055-tel.wav", toPath: dir + "/calls/a.wav")
        try FileManager.default.copyItem(atPath: CLIRunner.samples + "/tune-012-tel.wav", toPath: dir + "/calls/sub/b.WAV")
        let out = dir + "/out"
        let first = try CLIRunner.run(["replay", dir + "/calls", "--out", out, "--jobs", "2", "--format", "jsonl"])
        #expect(first.status == 0, "\(first.stderr)")
        let firstSummaries = try first.jsonObjects().filter { $0["type"] as? String == "summary" }
        #expect(firstSummaries.count == 2)
        for name in ["a", "b"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(out)/calls/\(name).jsonl")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        let folder = try FileManager.default.attributesOfItem(atPath: out)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        let before = try FileManager.default.attributesOfItem(atPath: out + "/calls/a.jsonl")[.modificationDate] as? Date
        let second = try CLIRunner.run(["replay", dir + "/calls", "--out", out, "--format", "jsonl"])
        #expect(second.status == 0)
        #expect(second.seconds < first.seconds)
        let after = try FileManager.default.attributesOfItem(atPath: out + "/calls/a.jsonl")[.modificationDate] as? Date
        #expect(before == after)
        #expect(try second.jsonObjects().filter { $0["type"] as? String == "summary" }.count == 2)
    }

    @Test("SIGINT stops a realtime replay promptly and says how to resume")
    func interrupt() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var signalledAt = Date()
        let r = try CLIRunner.run(["replay", telephoneCall, "--pace", "realtime", "--out", dir + "/out"], timeout: 30) { process in
            Thread.sleep(forTimeInterval: 2.5)
            signalledAt = Date()
            kill(process.processIdentifier, SIGINT)
        }
        #expect(r.status == 130)
        // Prompt, not hung (the run's timeout is 30 s). Not a timing target: on a loaded
        // 2-core machine, beside the suite's decoding tests, it has taken 1.8 s, and 6.4 s
        // with two more decodes running beside the suite (stop 48), so the bound is loose.
        #expect(Date().timeIntervalSince(signalledAt) < 12)
        #expect(r.stderr.contains("interrupted"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/calls/tune-078-tel.jsonl"))
    }

    @Test("stereo: --channel names the caller's side; the other side is decoded apart as the call-taker's")
    func stereoChannel() throws {
        let r = try CLIRunner.run(["replay", CLIRunner.samples + "/tune-078-stereo.wav", "--channel", "left", "--format", "jsonl"])
        #expect(r.status == 0)
        let events = try r.jsonObjects()
        let finals = events.filter { $0["type"] as? String == "transcript" && $0["final"] as? Bool == true }
        // Caller (left): "Fourteen twenty Walnut Street..."; call-taker (right): "Does he
        // have any weapons?", each heard on its own side only.
        let caller = try r.said(by: "caller"), taker = try r.said(by: "taker")
        #expect(caller.contains("walnut") && !caller.contains("weapons"))
        #expect(taker.contains("weapons") && !taker.contains("walnut"))
        #expect(finals.allSatisfy { ["caller", "taker"].contains($0["speaker"] as? String) })
        // The call-taker's question is theirs, never evidence: the call stays `transfer`.
        let indicators = events.filter { $0["type"] as? String == "indicator" && $0["kind"] as? String == "safety" }
        #expect(!indicators.isEmpty && indicators.allSatisfy { $0["speaker"] as? String == "taker" })
        #expect(events.last?["action"] as? String == "transfer")
    }

    func scriptWords(_ id: String) throws -> [String] {
        let text = try String(contentsOfFile: CLIRunner.samples + "/manifest.jsonl", encoding: .utf8)
        for line in text.split(separator: "\n") {
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if o["id"] as? String == id, let lines = o["lines"] as? [[String: Any]] {
                return TranscriptNormalizer.words(lines.compactMap { $0["text"] as? String }.joined(separator: " "))
            }
        }
        return []
    }
}
