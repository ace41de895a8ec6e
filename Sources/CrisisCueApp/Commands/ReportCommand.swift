import ArgumentParser
import CrisisCueCore
import Foundation

/// `crisiscue report OUT...`: merges the output folders of sharded `replay --out` runs
/// into one summary, follow-up list and report.
public struct ReportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Merge archive runs (replay --out folders, e.g. one per shard) into one summary.csv/json, followup.csv and report.html.")

    @Argument(help: ArgumentHelp("Output folders of replay --out runs.", valueName: "OUT"))
    public var folders: [String]

    @Option(help: ArgumentHelp("Where to write the merged files (default: the only OUT given).", valueName: "DIR"))
    public var out: String?

    @Option(help: ArgumentHelp("The recorder's call list (CSV with call id, caller number, start time): repeat callers in the report and repeat_callers.csv.", valueName: "calls.csv"))
    public var metadata: String?

    public init() {}

    public func validate() throws {
        if folders.count > 1 && out == nil { throw ValidationError("give --out DIR to merge several folders") }
    }

    public func run() throws {
        var callMetadata: CallMetadata?
        if let metadata {
            do { callMetadata = try CallMetadata.load(metadata) } catch {
                LineWriter.standardError.write("crisiscue: \(error)")
                throw ExitCode(2)
            }
        }
        var rows: [SummaryRow] = []
        var logs: [String: String] = [:]
        for folder in folders {
            let path = folder + "/summary.json"
            guard let data = FileManager.default.contents(atPath: path),
                let objects = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
            else {
                LineWriter.standardError.write("crisiscue: \(path) is missing or not a summary written by replay --out")
                throw ExitCode(1)
            }
            for o in objects {
                guard let row = SummaryRow(json: o) else { continue }
                if let log = row.log { logs[row.file + "\u{0}" + row.call] = folder + "/" + log }
                rows.append(row)
            }
        }
        // The same order whichever way the archive was split.
        rows.sort { ($0.file, $0.call) < ($1.file, $1.call) }
        let target = out ?? folders[0]
        do {
            try PrivateFile.makeDirectory(target)
            try ArchiveSummary.writeAll(rows, logsUnder: { logs[$0.file + "\u{0}" + $0.call] }, to: target, metadata: callMetadata)
        } catch {
            LineWriter.standardError.write("crisiscue: \(error)")
            throw ExitCode(1)
        }
        let failed = rows.filter { $0.error != nil }.count
        LineWriter.standardError.write("crisiscue: report: \(rows.count) calls from \(folders.count) folder(s), \(failed) failed; \(target)/report.html")
        if failed > 0 { throw ExitCode(1) }
    }
}
