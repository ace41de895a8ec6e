import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The side panel in a real terminal: tmux runs `crisiscue replay --format ui --pace
/// realtime`, the test reads the screen back with `capture-pane` and types keys.
@Suite("the side panel in a terminal (tmux)", .serialized)
struct PanelCLITests {
    struct Tmux {
        let session = "crisiscue-test-\(UUID().uuidString.prefix(8))"

        /// Runs tmux with posix_spawn and waitpid (Foundation's Process can miss the
        /// exit of a client whose server daemonizes while other tests spawn processes).
        @discardableResult
        func tmux(_ args: [String]) throws -> String {
            try Self.spawn(["/usr/bin/tmux"] + args)
        }

        @discardableResult
        static func spawn(_ argv: [String]) throws -> String {
            let out = NSTemporaryDirectory() + "crisiscue-tmux-" + UUID().uuidString
            defer { unlink(out) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            var cArgs = argv.map { strdup($0) } + [nil]
            defer { cArgs.forEach { free($0) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { throw CLIRunner.CLIError.noExecutable }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        }

        /// Starts `command` in a detached 120x40 terminal; after it ends, the pane shows its
        /// exit status and whether the terminal's echo came back.
        func start(_ command: String, columns: Int = 120, rows: Int = 40) throws {
            let script = "\(command); echo EXIT=$?; stty -a | grep -o -- ' -*echo ' | head -1; echo \(Self.done); sleep 60"
            try tmux(["new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", script])
        }

        /// Printed after the exit status and the echo check, so a test waiting for it
        /// sees both (waiting for `EXIT=` alone raced the `stty` line).
        static let done = "END-OF-SESSION"

        func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", session])) ?? "" }

        func keys(_ k: String) throws { try tmux(["send-keys", "-t", session, k]) }

        func alternateScreen() throws -> Bool {
            try tmux(["display-message", "-p", "-t", session, "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
        }

        func resize(columns: Int, rows: Int) throws {
            try tmux(["resize-window", "-t", session, "-x", "\(columns)", "-y", "\(rows)"])
        }

        /// Polls the screen until `text` shows, for at most `seconds`.
        func waitFor(_ text: String, seconds: Double = 90) throws -> String? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let s = screen()
                if s.contains(text) { return s }
                Thread.sleep(forTimeInterval: 0.25)
            }
            return nil
        }

        func kill() { _ = try? tmux(["kill-session", "-t", session]) }
    }

    func command(_ wav: String, log: String) throws -> String {
        "LANG=C.UTF-8 \(try CLIRunner.executable()) replay \(CLIRunner.samples)/\(wav) --format ui --pace realtime --log \(log)"
    }

    @Test("a transfer appears as the caller speaks; `a` accepts it into the log; `q` quits and restores the terminal")
    func transferAcceptQuit() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Tmux()
        defer { t.kill() }
        try t.start(try command("tune-078-tel.wav", log: dir + "/session.jsonl"))
        let shown = try #require(try t.waitFor("Suggest live transfer to social worker"), "no transfer card: \(t.screen())")
        #expect(shown.contains("Evidence:"))
        #expect(shown.contains("Pipeline"))
        #expect(try t.alternateScreen())
        try t.keys("a")
        #expect(try t.waitFor("ACCEPTED", seconds: 5) != nil)
        try t.keys("q")
        let after = try #require(try t.waitFor(Tmux.done, seconds: 10), "did not quit: \(t.screen())")
        #expect(after.contains("EXIT=0"))
        // The summary is the call's state when `q` cut it off, mid-utterance: the words
        // flushed then are read by the classifier too, and may end the call `safety` (stop
        // 44's classifiers did at 33.8 s). What this test pins is that the transfer was shown.
        #expect(after.contains("summary: ") && after.contains("first transfer at"), "\(after)")
        #expect(after.contains("\n echo") && !after.contains("-echo"), "echo not restored: \(after)")
        #expect(!(try t.alternateScreen()))
        let log = try String(contentsOfFile: dir + "/session.jsonl", encoding: .utf8)
        let objects = log.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let accepted = try #require(objects.first { $0["type"] as? String == "operator" })
        #expect(accepted["choice"] as? String == "accept" && accepted["action"] as? String == "transfer")
        #expect(objects.contains { $0["type"] as? String == "suggestion" })
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/session.jsonl")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a safety veto; `d` dismisses into the log; a narrow resize collapses the card; SIGTERM restores the terminal")
    func safetyDismissResizeTerminate() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Tmux()
        defer { t.kill() }
        try t.start(try command("tune-012-tel.wav", log: dir + "/session.jsonl"))
        #expect(try t.waitFor("Not for social worker alone") != nil, "no safety card: \(t.screen())")
        try t.resize(columns: 70, rows: 24)
        #expect(try t.waitFor("SAFETY, not for social worker alone", seconds: 5) != nil, "narrow layout missing: \(t.screen())")
        try t.keys("d")
        #expect(try t.waitFor("suggestion dismissed", seconds: 5) != nil)
        try Tmux.spawn(["/usr/bin/pkill", "-TERM", "-f", "^\(try CLIRunner.executable()) replay .*tune-012-tel.wav"])
        let after = try #require(try t.waitFor(Tmux.done, seconds: 5), "SIGTERM did not end it: \(t.screen())")
        #expect(after.contains("\n echo") && !after.contains("-echo"))
        #expect(!(try t.alternateScreen()))
        let log = try String(contentsOfFile: dir + "/session.jsonl", encoding: .utf8)
        #expect(log.contains(#""type":"operator""#) && log.contains(#""choice":"dismiss""#))
    }
}
