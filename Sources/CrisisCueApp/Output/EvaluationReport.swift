import CrisisCueCore
import Foundation

/// The evaluation as a table for people and as JSON for scripts.
public enum EvaluationReport {
    static func f(_ x: Double, _ d: Int = 3) -> String { JSONObjectWriter.number(x, decimals: d) }

    public static func table(_ e: Evaluation, source: String, tool: String = "CrisisCue") -> [String] {
        var lines: [String] = []
        let s = e.scored
        lines.append("\(tool) evaluation of \(source): \(s.count) calls, \(f(e.audioSeconds / 60, 1)) min of audio")
        lines.append("accuracy \(f(e.accuracy))   unsafe transfers \(e.unsafeTransfers.count)   transfer shown before the veto \(e.transientTransfers.count)")
        let mismatched = e.cardMismatches
        if !mismatched.isEmpty {
            lines.append("the last card differs from the call's suggestion on \(mismatched.count) calls: \(mismatched.map(\.id).joined(separator: ", "))")
        }
        lines.append("")
        lines.append("class       precision  recall  calls  suggested")
        for a in SuggestedAction.allCases {
            let c = e.score(a)
            lines.append("\(a.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  \(f(c.precision).padding(toLength: 9, withPad: " ", startingAt: 0))  \(f(c.recall).padding(toLength: 6, withPad: " ", startingAt: 0))  \(String(c.support).padding(toLength: 5, withPad: " ", startingAt: 0))  \(c.predicted)")
        }
        lines.append("")
        lines.append("label \\ suggested   transfer  safety  none")
        let m = e.confusion
        for a in SuggestedAction.allCases {
            let row = SuggestedAction.allCases.map { String(m[a]?[$0] ?? 0).padding(toLength: 8, withPad: " ", startingAt: 0) }
            lines.append("\(a.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0))  \(row.joined())")
        }
        let lat = e.latencies
        lines.append("")
        if let p50 = Evaluation.percentile(lat, 50), let p90 = Evaluation.percentile(lat, 90) {
            lines.append("latency from the end of the decisive line to the suggestion: median \(f(p50, 2)) s, p90 \(f(p90, 2)) s (\(lat.count) calls)")
        }
        if e.audioSeconds > 0 && e.rtf > 0 { lines.append("real-time factor \(f(e.rtf, 4))") }
        if let b = e.brier { lines.append("confidence Brier score \(f(b))") }
        let categories = e.categoryScores
        if !categories.isEmpty {
            lines.append("")
            lines.append("indicators by category   precision  recall  fired  present")
            for c in categories {
                lines.append("  \(c.category.padding(toLength: 22, withPad: " ", startingAt: 0))\(f(c.precision, 2).padding(toLength: 11, withPad: " ", startingAt: 0))\(f(c.recall, 2).padding(toLength: 8, withPad: " ", startingAt: 0))\(String(c.fired).padding(toLength: 7, withPad: " ", startingAt: 0))\(c.present)")
            }
        }
        let wrong = e.outcomes.filter { $0.error != nil || $0.predicted != $0.label }
        if !wrong.isEmpty {
            lines.append("")
            lines.append("calls not right:")
            for o in wrong {
                if let err = o.error {
                    lines.append("  \(o.id)  error: \(err)")
                    continue
                }
                let why = o.reasons.prefix(4).map { "\($0.category) \"\($0.phrase)\"" }.joined(separator: "; ")
                lines.append("  \(o.id)  \(o.label.rawValue) -> \(o.predicted.rawValue)\(o.label == .safety && o.predicted == .transfer ? "  UNSAFE" : "")\(why.isEmpty ? "" : "  (\(why))")")
            }
        }
        return lines
    }

    public static func json(_ e: Evaluation, source: String, tool: String? = nil, peer: Evaluation? = nil) -> String {
        var o = JSONObjectWriter()
        if let tool { o.add("tool", .string(tool)) }
        o.add("manifest", .string(source))
        o.add("calls", .int(e.scored.count))
        o.add("errors", .int(e.outcomes.count - e.scored.count))
        o.add("accuracy", .ratio(e.accuracy))
        o.add("unsafe_transfers", .int(e.unsafeTransfers.count))
        o.add("transient_transfers", .int(e.transientTransfers.count))
        o.add("card_mismatches", .int(e.cardMismatches.count))
        var classes = JSONObjectWriter()
        for a in SuggestedAction.allCases {
            let c = e.score(a)
            var co = JSONObjectWriter()
            co.add("precision", .ratio(c.precision))
            co.add("recall", .ratio(c.recall))
            co.add("support", .int(c.support))
            co.add("suggested", .int(c.predicted))
            classes.add(a.rawValue, .raw(co.text))
        }
        o.add("classes", .raw(classes.text))
        var confusion = JSONObjectWriter()
        for a in SuggestedAction.allCases {
            var row = JSONObjectWriter()
            for b in SuggestedAction.allCases { row.add(b.rawValue, .int(e.confusion[a]?[b] ?? 0)) }
            confusion.add(a.rawValue, .raw(row.text))
        }
        o.add("confusion", .raw(confusion.text))
        var latency = JSONObjectWriter()
        let lat = e.latencies
        latency.add("median", Evaluation.percentile(lat, 50).map { .seconds($0) } ?? .null)
        latency.add("p90", Evaluation.percentile(lat, 90).map { .seconds($0) } ?? .null)
        latency.add("n", .int(lat.count))
        o.add("latency_s", .raw(latency.text))
        o.add("audio_seconds", .seconds(e.audioSeconds))
        o.add("rtf", .ratio(e.rtf))
        o.add("brier", e.brier.map { .ratio($0) } ?? .null)
        var cats = JSONObjectWriter()
        for c in e.categoryScores {
            var co = JSONObjectWriter()
            co.add("precision", .ratio(c.precision))
            co.add("recall", .ratio(c.recall))
            co.add("fired", .int(c.fired))
            co.add("present", .int(c.present))
            cats.add(c.category, .raw(co.text))
        }
        o.add("categories", .raw(cats.text))
        o.add("outcomes", .array(e.outcomes.map { c in
            var co = JSONObjectWriter()
            co.add("id", .string(c.id))
            co.add("label", .string(c.label.rawValue))
            co.add("action", .string(c.predicted.rawValue))
            co.add("key_end", c.keyEnd.map { .seconds($0) } ?? .null)
            co.add("first_transfer_t", c.firstTransferT.map { .seconds($0) } ?? .null)
            co.add("first_safety_t", c.firstSafetyT.map { .seconds($0) } ?? .null)
            co.add("latency", c.latency.map { .seconds($0) } ?? .null)
            co.add("confidence", .seconds(c.confidence))
            co.add("error", c.error.map { .string($0) } ?? .null)
            return .raw(co.text)
        }))
        if let peer {
            // The naive peer's figures on the same calls, in the same shape.
            o.add("peer", .raw(json(peer, source: source, tool: KeywordPeer.name)))
        }
        return o.text
    }
}
