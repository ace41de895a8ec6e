#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// `bench --file` on a short fixture: the JSON's shape, not its timings (timings belong
/// to the benchmark's own runs, on a quiet machine).
@Suite("crisiscue bench")
struct BenchCLITests {
    static func sox(_ arguments: [String]) throws {
        let sox = Process()
        sox.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
        sox.arguments = arguments
        try sox.run()
        sox.waitUntilExit()
    }

    @Test("bench --file at 1x: latency_ms, the five stages, rtf, cpu, rss, overruns; --hgrm and --plot written")
    func jsonShape() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The first 12 s of the exclusion call: "my dad's drunk ... going to shoot".
        let short = dir + "/short.wav"
        try Self.sox([CLIRunner.samples + "/tune-012-tel.wav", short, "trim", "0", "12"])
        let r = try CLIRunner.run(
            ["bench", "--file", short, "--format", "json", "--hgrm", dir + "/e2e.hgrm", "--plot", dir + "/e2e.svg"], timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try r.jsonObjects().first)
        let percentiles = ["p50", "p90", "p99", "max"]
        let latency = try #require(o["latency_ms"] as? [String: Any])
        #expect(percentiles.allSatisfy { latency.keys.contains($0) })
        let stages = try #require(o["stages"] as? [String: [String: Any]])
        #expect(Set(stages.keys) == ["capture", "handoff", "recognition", "intent", "render"])
        for (_, s) in stages { #expect(percentiles.allSatisfy { s.keys.contains($0) }) }
        #expect((o["rtf"] as? Double ?? 0) > 0)
        #expect(o["cpu_percent"] is Double && o["max_rss_mb"] is Double)
        #expect(o["overruns"] as? Int == 0)
        #expect(abs((o["audio_seconds"] as? Double ?? 0) - 12) < 0.05)
        // Something was heard and timed.
        #expect((latency["count"] as? Int ?? 0) > 0)
        let hgrm = try String(contentsOfFile: dir + "/e2e.hgrm", encoding: .utf8)
        #expect(hgrm.contains("Percentile"))
        let svg = try String(contentsOfFile: dir + "/e2e.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("polyline"))
    }

    @Test("bench with several --file: one stream, each call its own session; --manifest times every call's decisive suggestion")
    func severalCalls() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in ["a", "b"] {
            try Self.sox([CLIRunner.samples + "/tune-012-tel.wav", dir + "/\(name).wav", "trim", "0", "12"])
        }
        let manifest = dir + "/m.jsonl"
        try """
            {"file": "a.wav", "label": "safety", "key_end": 9.0}
            {"file": "b.wav", "label": "safety", "key_end": 9.0}

            """.write(toFile: manifest, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(
            ["bench", "--file", dir + "/a.wav", "--file", dir + "/b.wav", "--manifest", manifest, "--pace", "fast", "--format", "json",
             "--events", dir + "/events.jsonl"],
            timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try r.jsonObjects().first)
        // Two calls of 12 s with 1 s of silence between them.
        #expect(abs((o["audio_seconds"] as? Double ?? 0) - 25) < 0.1)
        let decisive = try #require(o["decisive"] as? [String: Any])
        #expect(decisive["calls"] as? Int == 2)
        #expect(decisive["latency_ms"] is [String: Any] && decisive["never_shown"] is Int)
        // Each call decides on its own: two cards, not one card for the whole stream.
        let card = try #require(o["card_latency_ms"] as? [String: Any])
        #expect((card["count"] as? Int ?? 0) >= 2)
        // Every card is also timed from the end of the words it was decided on.
        let fromWords = try #require(o["card_from_words_ms"] as? [String: Any])
        #expect(fromWords["count"] as? Int == card["count"] as? Int)
        #expect((fromWords["p50"] as? Double ?? .infinity) <= (card["p50"] as? Double ?? 0))
        // --events: every timed indicator and card, named by its call, readable only by the user.
        let path = dir + "/events.jsonl"
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let cards = lines.filter { $0["kind"] as? String == "card" }
        let indicators = lines.filter { $0["kind"] as? String == "indicator" }
        #expect(cards.count == card["count"] as? Int)
        #expect(indicators.count == (o["latency_ms"] as? [String: Any])?["count"] as? Int)
        #expect(Set(lines.compactMap { $0["call"] as? String }) == ["a", "b"])
        for line in lines {
            let event = try #require(line["event"] as? [String: Any])
            #expect(event["type"] as? String == (line["kind"] as? String == "card" ? "suggestion" : "indicator"))
            #expect(line["latency_ms"] is Double && line["phrase_end_s"] is Double)
        }
        #expect(cards.allSatisfy { ($0["words_end_s"] as? Double ?? 0) >= ($0["phrase_end_s"] as? Double ?? 1) })
        #expect(indicators.allSatisfy { ($0["stages_ms"] as? [String: Any])?.keys.sorted() == ["intent", "recognition", "render"] })

        try Self.sox([dir + "/a.wav", "-e", "signed-integer", "-b", "16", "-r", "16000", dir + "/wide.wav"])
        let mixed = try CLIRunner.run(["bench", "--file", dir + "/a.wav", "--file", dir + "/wide.wav", "--pace", "fast"])
        #expect(mixed.status == 1 && mixed.stderr.contains("one sample rate"), "\(mixed.stderr)")
    }

    @Test("Ctrl-C during bench --peer: the run stops, the peer's pass is skipped, the figures so far are printed")
    func interrupted() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 60 s at 1x, then the peer's 60 s: two minutes if the interrupt were ignored.
        let long = dir + "/long.wav"
        try Self.sox([CLIRunner.samples + "/tune-012-tel.wav", long, "repeat", "3", "trim", "0", "60"])
        let started = Date()
        let r = try CLIRunner.run(["bench", "--file", long, "--peer", "--format", "json"], timeout: 100) { process in
            // Late enough that audio is flowing even on a loaded machine (the model loads
            // first: before any audio the run has nothing to print and says so).
            DispatchQueue.global().asyncAfter(deadline: .now() + 15) { kill(process.processIdentifier, SIGINT) }
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("--peer skipped"), "\(r.stderr)")
        let o = try #require(try r.jsonObjects().first)
        #expect((o["audio_seconds"] as? Double ?? 60) < 30)
        #expect(o["peer"] == nil)
        #expect(elapsed < 60, "took \(elapsed) s")
    }

    @Test("bench needs one input: --file or --device")
    func usage() throws {
        let r = try CLIRunner.run(["bench"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--file"))
    }
}
