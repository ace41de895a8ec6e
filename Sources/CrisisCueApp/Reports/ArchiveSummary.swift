import CrisisCueCore
import Foundation

/// One row of `summary.csv` / `summary.json`: what happened to one call of an archive.
public struct SummaryRow: Equatable, Sendable {
    public var call: String
    public var file: String
    public var action: SuggestedAction?
    public var firstTransferT: Double?
    public var firstSafetyT: Double?
    /// The reasons of the call's last suggestion.
    public var reasons: [SuggestionReason]
    public var audioSeconds: Double?
    public var rtf: Double?
    public var error: String?
    /// The call's event log, relative to the output folder (`calls/<name>.jsonl`), when kept.
    public var log: String?

    public init(call: String, file: String) {
        self.call = call
        self.file = file
        reasons = []
    }

    /// Takes in one event of the call.
    public mutating func add(_ event: CallEvent) {
        switch event.payload {
        case .suggestion(_, let reasons, _, _):
            self.reasons = reasons
        case .summary(let s):
            action = s.action
            firstTransferT = s.firstTransferT
            firstSafetyT = s.firstSafetyT
            audioSeconds = s.audioSeconds
            rtf = s.rtf
        case .error(let message):
            error = error.map { $0 + "; " + message } ?? message
        default:
            break
        }
    }

    static let header = ["call", "file", "action", "first_transfer_t", "first_safety_t", "reasons", "audio_seconds", "rtf", "error"]

    var reasonsText: String {
        reasons.map { "\($0.category): \($0.phrase) @ \(JSONObjectWriter.number($0.t, decimals: 1))" }.joined(separator: "; ")
    }

    var csvFields: [String] {
        func n(_ x: Double?, _ d: Int) -> String { x.map { JSONObjectWriter.number($0, decimals: d) } ?? "" }
        return [call, file, action?.rawValue ?? "", n(firstTransferT, 3), n(firstSafetyT, 3), reasonsText,
                n(audioSeconds, 3), n(rtf, 4), error ?? ""]
    }

    var json: String {
        var o = JSONObjectWriter()
        o.add("call", .string(call))
        o.add("file", .string(file))
        o.add("action", action.map { .string($0.rawValue) } ?? .null)
        o.add("first_transfer_t", firstTransferT.map { .seconds($0) } ?? .null)
        o.add("first_safety_t", firstSafetyT.map { .seconds($0) } ?? .null)
        o.add("reasons", CallEvent.reasons(reasons))
        o.add("audio_seconds", audioSeconds.map { .seconds($0) } ?? .null)
        o.add("rtf", rtf.map { .ratio($0) } ?? .null)
        o.add("error", error.map { .string($0) } ?? .null)
        if let log { o.add("log", .string(log)) }
        return o.text
    }

    /// A row read back from `summary.json` (for `crisiscue report`).
    init?(json o: [String: Any]) {
        guard let call = o["call"] as? String, let file = o["file"] as? String else { return nil }
        self.init(call: call, file: file)
        action = (o["action"] as? String).flatMap(SuggestedAction.init(rawValue:))
        firstTransferT = o["first_transfer_t"] as? Double
        firstSafetyT = o["first_safety_t"] as? Double
        audioSeconds = o["audio_seconds"] as? Double
        rtf = o["rtf"] as? Double
        error = o["error"] as? String
        log = o["log"] as? String
        reasons = (o["reasons"] as? [[String: Any]] ?? []).compactMap { r in
            guard let c = r["category"] as? String, let p = r["phrase"] as? String, let t = r["t"] as? Double else { return nil }
            return SuggestionReason(category: c, phrase: p, t: t)
        }
    }
}

/// `summary.csv` and `summary.json` of an archive run, one row per call in input order.
public enum ArchiveSummary {
    public static func csv(_ rows: [SummaryRow]) -> String {
        ([SummaryRow.header] + rows.map(\.csvFields)).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    public static func json(_ rows: [SummaryRow]) -> String {
        "[\n" + rows.map { "  " + $0.json }.joined(separator: ",\n") + "\n]\n"
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break; a formula-looking
    /// field is prefixed with a quote mark so a spreadsheet does not run it.
    static func quote(_ field: String) -> String {
        var f = field
        if let first = f.first, "=+-@".contains(first), Double(f) == nil { f = "'" + f }
        guard f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return f }
        return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes both files atomically (mode 0600) into `folder`.
    public static func write(_ rows: [SummaryRow], to folder: String) throws {
        try PrivateFile.writeAtomically(csv(rows), to: folder + "/summary.csv")
        try PrivateFile.writeAtomically(json(rows), to: folder + "/summary.json")
    }

    /// The summary, report and follow-up list of an output folder whose logs are at
    /// `base`/`row.log`.
    static func writeAll(_ rows: [SummaryRow], logsUnder: (SummaryRow) -> String?, to folder: String,
                         metadata: CallMetadata? = nil) throws {
        try write(rows, to: folder)
        let records = rows.map { CallRecord.load(row: $0, log: logsUnder($0)) }
        try ArchiveReport.write(records, to: folder, metadata: metadata)
        if let metadata {
            try PrivateFile.writeAtomically(metadata.repeatCallersCSV(records), to: folder + "/repeat_callers.csv")
        }
    }
}

/// A stable 64-bit FNV-1a hash: of a file's bytes (to tell whether a finished call's
/// recording changed before skipping it) and of a call's name (to shard an archive).
public enum StableHash {
    public static func of(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The file's content hash as 16 hex digits, or nil if it cannot be read.
    public static func file(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        while true {
            guard let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty else { break }
            data.withUnsafeBytes { raw in
                for b in raw.bindMemory(to: UInt8.self) {
                    h ^= UInt64(b)
                    h = h &* 0x0000_0100_0000_01B3
                }
            }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// `--shard K/N`: a deterministic 1/N of the inputs, by a hash of each call's unique
/// name, so any scheduler can split an archive across machines.
public struct Shard: Sendable, Equatable {
    public var index: Int
    public var count: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else { return nil }
        index = k
        count = n
    }

    public func contains(_ input: CallInput) -> Bool {
        Int(StableHash.of(input.outputName) % UInt64(count)) == index - 1
    }
}
