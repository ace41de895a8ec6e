import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `crisiscue` executable and captures what it prints.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double

        var lines: [String] { stdout.split(separator: "\n").map(String.init) }

        /// stdout parsed as JSON Lines (fails the caller's expectations if a line is not JSON).
        func jsonObjects() throws -> [[String: Any]] {
            try lines.map { line in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw CLIError.notJSON(line)
                }
                return object
            }
        }

        /// The final transcripts of one speaker, joined.
        func said(by speaker: String) throws -> String {
            try jsonObjects().filter {
                $0["type"] as? String == "transcript" && $0["final"] as? Bool == true && $0["speaker"] as? String == speaker
            }.compactMap { $0["text"] as? String }.joined(separator: " ")
        }
    }

    enum CLIError: Error { case notJSON(String), noExecutable }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let samples = root + "/audio-fixtures/samples"

    /// The executable built next to the test bundle.
    static func executable() throws -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("crisiscue").path,
            root + "/.build/debug/crisiscue",
            root + "/.build/release/crisiscue",
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CLIError.noExecutable
        }
        return found
    }

    /// Runs `crisiscue` with `arguments`; `onStart` gets the process (e.g. to signal it).
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 120,
                    onStart: ((Process) -> Void)? = nil) throws -> Result {
        try run(arguments, environment: environment, timeout: timeout, onOutput: onStart.map { f in { p, _ in f(p) } })
    }

    /// The same; `onOutput` also gets a function that reads what the process has written
    /// to stdout so far (e.g. to signal it once it is under way, whatever the load).
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 120,
                    onOutput: ((Process, () -> String) -> Void)?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let dir = NSTemporaryDirectory() + "crisiscue-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        let out = FileHandle(forWritingAtPath: dir + "/out")!
        let err = FileHandle(forWritingAtPath: dir + "/err")!
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        onOutput?(process, { (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "" })
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                process.terminate()
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(start))
    }

    /// The shipped intent model without its call classifier, written into `dir`: the
    /// phrase rules alone, for tests of what they read in a sentence or two (the
    /// classifier reads whole calls; it is tested on the test split's text).
    static func rulesOnlyModel(in dir: String) throws -> String {
        let shipped = try String(contentsOfFile: root + "/models/intents.yaml", encoding: .utf8)
        let cut = shipped.range(of: "\nclassifier:\n").map { String(shipped[..<$0.lowerBound]) + "\n" } ?? shipped
        try cut.write(toFile: dir + "/rules.yaml", atomically: true, encoding: .utf8)
        return dir + "/rules.yaml"
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "crisiscue-cli-data-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
