import CrisisCueCore
import Foundation

/// What the QA report needs of one call, read back from its per-call log.
struct CallRecord {
    struct Segment { var start: Double; var end: Double; var speaker: String; var text: String }
    struct Mark { var kind: String; var category: String; var phrase: String; var start: Double; var end: Double; var negated: Bool }
    struct Change { var action: String; var t: Double; var service: String?; var reasons: [SuggestionReason] }

    var row: SummaryRow
    var segments: [Segment] = []
    var marks: [Mark] = []
    var changes: [Change] = []

    /// The exclusions heard (not negated), by category, once each.
    var exclusions: [String] { Array(Set(marks.filter { $0.kind == "safety" && !$0.negated }.map(\.category))).sorted() }

    var firstTransfer: Change? { changes.first { $0.action == "transfer" } }

    /// Reads `log` (a per-call JSON Lines file); missing or unreadable logs give the row alone.
    static func load(row: SummaryRow, log: String?) -> CallRecord {
        var record = CallRecord(row: row)
        guard let log, let data = FileManager.default.contents(atPath: log) else { return record }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            switch o["type"] as? String {
            case "transcript" where o["final"] as? Bool == true:
                record.segments.append(Segment(
                    start: o["start"] as? Double ?? 0, end: o["end"] as? Double ?? 0,
                    speaker: o["speaker"] as? String ?? "unknown", text: o["text"] as? String ?? ""))
            case "indicator":
                record.marks.append(Mark(
                    kind: o["kind"] as? String ?? "", category: o["category"] as? String ?? "", phrase: o["phrase"] as? String ?? "",
                    start: o["start"] as? Double ?? 0, end: o["end"] as? Double ?? 0, negated: o["negated"] as? Bool ?? false))
            case "suggestion":
                let reasons = (o["reasons"] as? [[String: Any]] ?? []).compactMap { r -> SuggestionReason? in
                    guard let c = r["category"] as? String, let p = r["phrase"] as? String, let t = r["t"] as? Double else { return nil }
                    return SuggestionReason(category: c, phrase: p, t: t)
                }
                record.changes.append(Change(
                    action: o["action"] as? String ?? "none", t: o["t"] as? Double ?? 0, service: o["service"] as? String, reasons: reasons))
            default:
                break
            }
        }
        return record
    }
}
