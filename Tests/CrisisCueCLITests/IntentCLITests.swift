import Foundation
import Testing

@Suite("crisiscue analyze and eval", .serialized)
struct IntentCLITests {
    @Test("analyze: a crisis in text mode reads as a suggestion with its evidence and service")
    func analyzeText() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rules = try CLIRunner.rulesOnlyModel(in: dir)
        let r = try CLIRunner.run(["analyze", "caller: my son is hearing voices and he stopped taking his medication", "--intents", rules])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("SUGGEST: live transfer to social worker"))
        #expect(r.stdout.contains("mental_health \"hearing voices\""))
        #expect(r.stdout.contains("summary: transfer"))
    }

    @Test("analyze: jsonl events carry the contract's fields; an exclusion turns it into safety")
    func analyzeJSON() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rules = try CLIRunner.rulesOnlyModel(in: dir)
        let text = "caller: he has been drinking all day and he is yelling at me\ntaker: does he have any weapons?\ncaller: yes, a knife"
        let r = try CLIRunner.run(["analyze", text, "--format", "jsonl", "--at", "2026-11-23T15:00", "--intents", rules])
        #expect(r.status == 0, "\(r.stderr)")
        let objects = try r.jsonObjects()
        let indicators = objects.filter { $0["type"] as? String == "indicator" }
        for o in indicators {
            for key in ["kind", "category", "phrase", "start", "end", "negated", "speaker"] { #expect(o[key] != nil, "\(key)") }
        }
        #expect(indicators.contains { $0["category"] as? String == "weapon" && $0["speaker"] as? String == "taker" })
        let suggestions = objects.filter { $0["type"] as? String == "suggestion" }
        #expect(suggestions.map { $0["action"] as? String } == ["transfer", "safety"])
        let first = try #require(suggestions.first)
        #expect(first["resource"] as? String == "on-site 911 social worker", "Monday 15:00 in Chicago is on shift")
        let reasons = try #require(first["reasons"] as? [[String: Any]])
        #expect(reasons.first?["category"] as? String == "substance_use")
        #expect((first["confidence"] as? Double).map { (0...1).contains($0) } == true)
        let veto = try #require(suggestions.last)
        #expect(veto["blocking"] as? [String] == ["weapon"])
        let summary = try #require(objects.last)
        #expect(summary["action"] as? String == "safety")
        #expect(summary["first_transfer_t"] is Double && summary["first_safety_t"] is Double)
    }

    @Test("analyze: outside the shift the transfer names the alternative resource")
    func analyzeAfterHours() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rules = try CLIRunner.rulesOnlyModel(in: dir)
        let r = try CLIRunner.run(["analyze", "caller: she has nowhere to sleep tonight", "--format", "jsonl", "--at", "2026-11-28T23:00", "--intents", rules])
        let suggestion = try #require(try r.jsonObjects().first { $0["type"] as? String == "suggestion" })
        #expect((suggestion["resource"] as? String)?.contains("mobile crisis team") == true)
    }

    @Test("a malformed intent model is a clear message with its line, exit 1; bad --at is a usage error")
    func badModel() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try String(contentsOfFile: CLIRunner.root + "/models/intents.yaml", encoding: .utf8)
        try good.replacingOccurrences(of: "\"suicid*\"", with: "\"{nothing}\"").write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["analyze", "hello", "--intents", dir + "/bad.yaml"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.yaml, line "))
        #expect(r.stderr.contains("unknown word class {nothing}"))
        let missing = try CLIRunner.run(["analyze", "--file", dir + "/none.txt"])
        #expect(missing.status == 1 && missing.stdout.contains("none error: cannot read"))
        let usage = try CLIRunner.run(["analyze", "hello", "--at", "yesterday"])
        #expect(usage.status == 2)
    }

    @Test("eval on call scripts: a table and the JSON figures QA teams read")
    func evalScripts() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scripts = """
            - id: a
              label: transfer
              key_line: 1
              lines:
                - taker: "Nine one one, what is your emergency?"
                - caller: "My sister keeps saying she wants to die."
            - id: b
              label: safety
              key_line: 1
              lines:
                - taker: "Nine one one, what is your emergency?"
                - caller: "My brother is drunk and he is waving a knife around."
            - id: c
              label: none
              key_line: null
              lines:
                - caller: "There is a car on fire on the highway."
            """
        try scripts.write(toFile: dir + "/calls.yaml", atomically: true, encoding: .utf8)
        let rules = try CLIRunner.rulesOnlyModel(in: dir)
        let table = try CLIRunner.run(["eval", dir + "/calls.yaml", "--intents", rules])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("accuracy 1"))
        #expect(table.stdout.contains("unsafe transfers 0"))
        let json = try CLIRunner.run(["eval", dir + "/calls.yaml", "--format", "json", "--intents", rules])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["calls"] as? Int == 3)
        #expect(object["accuracy"] as? Double == 1)
        let classes = try #require(object["classes"] as? [String: [String: Any]])
        #expect(Set(classes.keys) == ["transfer", "safety", "none"])
        #expect(classes["transfer"]?["precision"] as? Double == 1)
        let latency = try #require(object["latency_s"] as? [String: Any])
        #expect(latency["n"] as? Int == 2 && latency["median"] is Double)
    }

    @Test("the shipped model (rules and call classifier) on the test split's text: floors for accuracy and safety")
    func evalTestSplitText() throws {
        // Stop 28: accuracy 0.929, unsafe transfers 0, no transfer shown before a veto.
        let r = try CLIRunner.run(["eval", CLIRunner.root + "/audio-fixtures/calls/test.yaml", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["calls"] as? Int == 70)
        #expect((object["accuracy"] as? Double ?? 0) >= 0.90)
        #expect(object["unsafe_transfers"] as? Int == 0)
        #expect((object["transient_transfers"] as? Int ?? 99) <= 3)
        #expect(object["card_mismatches"] as? Int == 0, "the last card shown is each call's suggestion")
        let classes = try #require(object["classes"] as? [String: [String: Any]])
        #expect((classes["safety"]?["recall"] as? Double ?? 0) >= 0.90)
    }

    @Test("a whole call read by the classifier: the card shows the rules' evidence, the classifier's words where the rules heard no exclusion")
    func classifierCard() throws {
        let call = """
            taker: Nine one one, what is the address of your emergency?
            caller: I'm at 410 Pine Street, it's my brother. He's been off his medication for a couple of weeks and he keeps saying the neighbors are poisoning the water.
            taker: Is he hurting anyone or threatening anyone?
            caller: No, no, he's just scared and pacing around the kitchen talking to himself. He hasn't slept in days.
            taker: Does he have any weapons?
            caller: No, nothing like that. He's never been violent. I just don't know how to calm him down and I think he needs someone to talk to.
            """
        let r = try CLIRunner.run(["analyze", call, "--format", "jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        let objects = try r.jsonObjects()
        let suggestions = objects.filter { $0["type"] as? String == "suggestion" }
        // Early on the classifier may read danger into a call that turns out calm (stop 28:
        // this one is `safety` after the second line); a card the rules did not back names
        // the classifier as what blocks, and the transfer follows as the call goes on.
        #expect(suggestions.last?["action"] as? String == "transfer")
        for s in suggestions where s["action"] as? String == "safety" {
            #expect(s["blocking"] as? [String] == ["classifier"])
            let reasons = try #require(s["reasons"] as? [[String: Any]])
            #expect(reasons.first?["category"] as? String == "classifier")
        }
        let reasons = try #require(suggestions.last?["reasons"] as? [[String: Any]])
        #expect(reasons.contains { $0["category"] as? String == "mental_health" })
        #expect((suggestions.last?["confidence"] as? Double ?? 0) >= 0.6)
        #expect((objects.last?["action"] as? String) == "transfer")
    }

    @Test("classifier.blend: a file that cannot be read is named; a classifier blended with itself changes nothing")
    func classifierBlend() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shipped = try String(contentsOfFile: CLIRunner.root + "/models/intents.yaml", encoding: .utf8)
        #expect(shipped.contains("\n  blend: [classifier-live.tsv]\n"), "the shipped model blends the live classifier")
        let model = CLIRunner.root + "/models/classifier.tsv"
        func with(_ blend: String?, _ name: String) throws -> String {
            let path = dir + "/\(name).yaml"
            let text = shipped
                .replacingOccurrences(of: "\n  blend: [classifier-live.tsv]\n", with: "\n")
                .replacingOccurrences(of: "\n  file: classifier.tsv\n", with: "\n  file: \(model)\n" + (blend.map { "  blend: [\($0)]\n" } ?? ""))
            #expect(text != shipped, "the shipped model names classifier.tsv")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let call = "caller: my brother stopped his medication and he keeps saying the neighbors are poisoning the water\ntaker: does he have any weapons?\ncaller: no, nothing like that, he just needs someone to talk to"
        let missing = try CLIRunner.run(["analyze", call, "--intents", try with(dir + "/nowhere.tsv", "missing")])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("classifier.blend") && missing.stderr.contains("nowhere.tsv"), "\(missing.stderr)")
        let alone = try CLIRunner.run(["analyze", call, "--format", "jsonl", "--intents", try with(nil, "alone")])
        let twice = try CLIRunner.run(["analyze", call, "--format", "jsonl", "--intents", try with(model, "twice")])
        let blended = try CLIRunner.run(["analyze", call, "--format", "jsonl"])
        #expect(alone.status == 0 && twice.status == 0 && blended.status == 0, "\(twice.stderr)")
        // All but the summary, whose processing time differs from run to run.
        let events = { (r: CLIRunner.Result) in r.stdout.split(separator: "\n").filter { !$0.contains("\"type\":\"summary\"") } }
        #expect(events(alone).count > 3 && events(alone) == events(twice))
        #expect(blended.stdout.contains("\"action\":\"transfer\""), "\(blended.stdout)")
    }

    @Test("eval on recorded calls: a manifest of WAVs, a missing file is an error row and exit 1")
    func evalAudio() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = """
            {"file": "\(CLIRunner.samples)/tune-078-tel.wav", "label": "transfer", "key_end": 21.594}
            {"file": "missing.wav", "label": "none", "key_end": null}
            """
        try manifest.write(toFile: dir + "/m.jsonl", atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["eval", dir + "/m.jsonl", "--format", "json"])
        #expect(r.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["calls"] as? Int == 1 && object["errors"] as? Int == 1)
        #expect((object["rtf"] as? Double ?? 0) > 0)
        let outcomes = try #require(object["outcomes"] as? [[String: Any]])
        #expect(outcomes.contains { ($0["error"] as? String)?.contains("no such file") == true })
    }

    @Test("eval --rescore reads only the kept transcripts: the recordings need not be there any more")
    func evalRescoreWithoutAudio() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            {"file": "\(CLIRunner.samples)/tune-078-tel.wav", "label": "transfer", "key_end": 21.594}
            """.write(toFile: dir + "/m.jsonl", atomically: true, encoding: .utf8)
        let live = try CLIRunner.run(["eval", dir + "/m.jsonl", "--out", dir + "/kept", "--format", "json"])
        #expect(live.status == 0, "\(live.stderr)")
        // The same call, its recording moved away: re-scored from what was kept.
        try """
            {"file": "archive/gone/tune-078-tel.wav", "label": "transfer", "key_end": 21.594}
            """.write(toFile: dir + "/moved.jsonl", atomically: true, encoding: .utf8)
        let again = try CLIRunner.run(["eval", dir + "/moved.jsonl", "--rescore", dir + "/kept", "--format", "json"])
        #expect(again.status == 0, "\(again.stderr)")
        func outcome(_ r: CLIRunner.Result) throws -> [String: Any] {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            #expect(o["errors"] as? Int == 0)
            return try #require((o["outcomes"] as? [[String: Any]])?.first)
        }
        let a = try outcome(live), b = try outcome(again)
        #expect(a["action"] as? String == b["action"] as? String && b["action"] != nil)
        // Decoding still needs the recording.
        let missing = try CLIRunner.run(["eval", dir + "/moved.jsonl", "--format", "json"])
        #expect(missing.status == 1 && missing.stdout.contains("no such file"))
    }

    @Test("eval --peer scores pocketsphinx_continuous plus a keyword list on the same calls, beside CrisisCue")
    func evalPeer() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = """
            {"id": "a", "file": "\(CLIRunner.samples)/tune-078-tel.wav", "label": "transfer", "key_end": 21.594}
            {"id": "b", "file": "\(CLIRunner.samples)/tune-012-tel.wav", "label": "safety", "key_end": 10.901}
            """
        try manifest.write(toFile: dir + "/m.jsonl", atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["eval", dir + "/m.jsonl", "--peer", "--jobs", "2", "--format", "json"], timeout: 300)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["calls"] as? Int == 2)
        let peer = try #require(object["peer"] as? [String: Any])
        #expect((peer["tool"] as? String)?.contains("pocketsphinx_continuous") == true)
        #expect(peer["calls"] as? Int == 2 && peer["errors"] as? Int == 0)
        #expect(peer["accuracy"] is Double && peer["unsafe_transfers"] is Int)
        let outcomes = try #require(peer["outcomes"] as? [[String: Any]])
        #expect(Set(outcomes.compactMap { $0["id"] as? String }) == ["a", "b"])
        #expect(outcomes.allSatisfy { ["transfer", "safety", "none"].contains($0["action"] as? String ?? "") })
        let text = try CLIRunner.run(["eval", dir + "/m.jsonl", "--peer", "--jobs", "2"], timeout: 300)
        #expect(text.stdout.contains("CrisisCue evaluation of") && text.stdout.contains("pocketsphinx_continuous + keyword list evaluation of"))
    }
}
