import Foundation
import Testing

/// `replay DIR --out OUT` over an archive: summary rows, bad files, resume, shards.
@Suite("crisiscue replay over an archive", .serialized)
struct ArchiveCLITests {
    /// Good calls (10 s cuts of the samples), a corrupt WAV, a truncated one and a text file.
    func archive() throws -> String {
        let dir = try CLIRunner.temporaryDirectory()
        let calls = dir + "/archive"
        try FileManager.default.createDirectory(atPath: calls + "/2026-03-02", withIntermediateDirectories: true)
        for (sample, target) in [("tune-078-tel", "good1"), ("tune-012-tel", "good2"), ("tune-055-tel", "2026-03-02/good3")] {
            let sox = Process()
            sox.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
            sox.arguments = [CLIRunner.samples + "/\(sample).wav", "\(calls)/\(target).wav", "trim", "0", "10"]
            try sox.run()
            sox.waitUntilExit()
        }
        try Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEjunk that is not a chunk".utf8).write(to: URL(fileURLWithPath: calls + "/corrupt.wav"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: calls + "/good2.wav"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: calls + "/2026-03-02/truncated.wav"))
        try Data("operator notes".utf8).write(to: URL(fileURLWithPath: calls + "/notes.txt"))
        return dir
    }

    func rows(_ out: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    @Test("good, corrupt and truncated files give the right rows, exit 1, and a resumed run redoes only what failed or changed")
    func rowsAndResume() throws {
        let dir = try archive()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out"
        let first = try CLIRunner.run(["replay", dir + "/archive", "--out", out, "--jobs", "2", "--format", "jsonl"])
        #expect(first.status == 1)
        let r = try rows(out)
        #expect(r.map { $0["call"] as? String ?? "" }.sorted() == ["corrupt", "good1", "good2", "good3", "truncated"])
        for row in r {
            let bad = ["corrupt", "truncated"].contains(row["call"] as? String ?? "")
            #expect((row["error"] is String) == bad, "\(row)")
            #expect((row["action"] is String) == !bad || row["call"] as? String == "truncated")
        }
        let csv = try String(contentsOfFile: out + "/summary.csv", encoding: .utf8)
        #expect(csv.hasPrefix("call,file,action,first_transfer_t,first_safety_t,reasons,audio_seconds,rtf,error\r\n"))
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 6)
        #expect(!csv.contains("notes"))
        #expect((try FileManager.default.attributesOfItem(atPath: out + "/summary.csv")[.posixPermissions] as? Int) == 0o600)

        try checkReport(out)

        let kept = out + "/calls/good1.jsonl"
        let before = try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date
        #expect(!FileManager.default.fileExists(atPath: out + "/calls/corrupt.jsonl"))
        let second = try CLIRunner.run(["replay", dir + "/archive", "--out", out, "--format", "jsonl"])
        #expect(second.status == 1)
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date == before)
        #expect(try rows(out).count == 5)

        // A recording that changed since is decoded again.
        try FileManager.default.removeItem(atPath: dir + "/archive/good1.wav")
        try FileManager.default.copyItem(atPath: dir + "/archive/good2.wav", toPath: dir + "/archive/good1.wav")
        Thread.sleep(forTimeInterval: 1.1)
        _ = try CLIRunner.run(["replay", dir + "/archive", "--out", out, "--format", "jsonl"])
        #expect(try FileManager.default.attributesOfItem(atPath: kept)[.modificationDate] as? Date != before)
    }

    /// report.html is self-contained and renders: a headless Chromium screenshot of it.
    func checkReport(_ out: String) throws {
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("good1") && html.contains("corrupt") && html.contains("<svg"))
        let followup = try String(contentsOfFile: out + "/followup.csv", encoding: .utf8)
        #expect(followup.hasPrefix("call,file,time,categories,service,evidence\r\n"))
        let chromium = "/usr/bin/chromium"
        try #require(FileManager.default.isExecutableFile(atPath: chromium), "chromium is needed to check the report (scripts/setup installs it)")
        let shot = out + "/report.png"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--screenshot=\(shot)",
                       "--window-size=1200,1400", "file://\(out)/report.html"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // A blank page of that size compresses to a few kilobytes; the rendered report does not.
        #expect(png.count > 30_000, "the screenshot looks blank (\(png.count) bytes)")
    }

    @Test("--shard 1/2 and 2/2 together give the unsharded run, row for row")
    func shards() throws {
        let dir = try archive()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func key(_ row: [String: Any]) -> String {
            ["call", "action", "first_transfer_t", "first_safety_t", "audio_seconds", "error"]
                .map { "\(row[$0] ?? "nil")" }.joined(separator: "|")
        }
        _ = try CLIRunner.run(["replay", dir + "/archive", "--out", dir + "/whole", "--jobs", "2", "--format", "jsonl"])
        _ = try CLIRunner.run(["replay", dir + "/archive", "--out", dir + "/s1", "--shard", "1/2", "--format", "jsonl"])
        _ = try CLIRunner.run(["replay", dir + "/archive", "--out", dir + "/s2", "--shard", "2/2", "--format", "jsonl"])
        let whole = try rows(dir + "/whole").map(key).sorted()
        let parts = try (rows(dir + "/s1") + rows(dir + "/s2")).map(key).sorted()
        #expect(whole.count == 5)
        #expect(parts == whole)
        #expect(try rows(dir + "/s1").count > 0 && rows(dir + "/s2").count > 0)
        // `report` merges the shards into one summary and report.
        let merged = try CLIRunner.run(["report", dir + "/s1", dir + "/s2", "--out", dir + "/merged"])
        #expect(merged.status == 1, "two calls failed: \(merged.stderr)")
        #expect(try rows(dir + "/merged").map(key).sorted() == whole)
        let html = try String(contentsOfFile: dir + "/merged/report.html", encoding: .utf8)
        #expect(html.contains("good3") && html.contains("<svg"))
        #expect(try CLIRunner.run(["report", dir + "/s1", dir + "/s2"]).status == 2)
        let bad = try CLIRunner.run(["replay", dir + "/archive", "--shard", "3/2"])
        #expect(bad.status == 2)
    }

    @Test("--metadata: numbers behind two or more crisis calls become repeat callers")
    func repeatCallers() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        // Two crisis calls ("my dad's drunk") and a dog bite, all from one number; a third number once.
        for (sample, name) in [("tune-012-tel", "c1"), ("tune-012-tel", "c2"), ("tune-055-tel", "c3"), ("tune-012-tel", "c4")] {
            let sox = Process()
            sox.executableURL = URL(fileURLWithPath: "/usr/bin/sox")
            sox.arguments = [CLIRunner.samples + "/\(sample).wav", "\(dir)/in/\(name).wav", "trim", "0", "9"]
            try sox.run()
            sox.waitUntilExit()
        }
        try """
            Call_ID,Caller_Number,Start_Time,Agency
            c1,"(651) 555-0101",2026-03-02T09:14:00,RECC
            c2,"(651) 555-0101",2026-03-09T22:41:00,RECC
            c3,"(651) 555-0101",2026-03-10T11:02:00,RECC
            c4,612-555-0199,2026-03-11T08:30:00,RECC

            """.write(toFile: dir + "/calls.csv", atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["replay", dir + "/in", "--out", dir + "/out", "--jobs", "2", "--metadata", dir + "/calls.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOfFile: dir + "/out/repeat_callers.csv", encoding: .utf8)
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines == [
            "caller_number,crisis_calls,first_start,last_start,calls",
            "(651) 555-0101,2,2026-03-02T09:14:00,2026-03-09T22:41:00,c1; c2",
        ])
        #expect(try String(contentsOfFile: dir + "/out/report.html", encoding: .utf8).contains("Repeat callers"))
        try "id,when\nc1,2026\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try CLIRunner.run(["replay", dir + "/in", "--out", dir + "/out", "--metadata", dir + "/bad.csv"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("caller number"))
    }
}
