import CrisisCueCore
import Foundation

/// The QA lead's view of an archive run: `report.html` (self-contained: no network, no
/// scripts, no fonts; a content security policy forbids fetching anything) and
/// `followup.csv` for the social workers.
enum ArchiveReport {
    /// Writes report.html and followup.csv (mode 0600: they hold transcripts) into `folder`.
    static func write(_ records: [CallRecord], to folder: String, metadata: CallMetadata? = nil, generated: Date = Date()) throws {
        try PrivateFile.writeAtomically(html(records, metadata: metadata, generated: generated), to: folder + "/report.html")
        try PrivateFile.writeAtomically(followup(records), to: folder + "/followup.csv")
    }

    /// Calls where a transfer was suggested: when, why, and what the caller needs.
    static func followup(_ records: [CallRecord]) -> String {
        var lines = [["call", "file", "time", "categories", "service", "evidence"]]
        for r in records {
            guard let t = r.firstTransfer else { continue }
            let categories = Array(Set(t.reasons.map(\.category))).sorted().joined(separator: "; ")
            let evidence = t.reasons.map { "\($0.phrase) @ \(JSONObjectWriter.number($0.t, decimals: 1))" }.joined(separator: "; ")
            lines.append([r.row.call, r.row.file, JSONObjectWriter.number(t.t, decimals: 3), categories, t.service ?? "", evidence])
        }
        return lines.map { $0.map(ArchiveSummary.quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ x: Double, _ d: Int = 1) -> String { JSONObjectWriter.number(x, decimals: d) }

    static func clock(_ t: Double) -> String { PanelRenderer.clock(t) }

    static func html(_ records: [CallRecord], metadata: CallMetadata? = nil, generated: Date) -> String {
        let total = records.count
        let hours = records.compactMap(\.row.audioSeconds).reduce(0, +) / 3600
        func count(_ a: SuggestedAction) -> Int { records.filter { $0.row.action == a }.count }
        let errors = records.filter { $0.row.error != nil }.count
        let eligible = records.filter { $0.row.firstTransferT != nil }.count
        func pct(_ k: Int) -> String { total == 0 ? "0" : n(Double(k) / Double(total) * 100) }
        var byCause: [String: Int] = [:]
        for r in records { for c in r.exclusions { byCause[c, default: 0] += 1 } }

        var out = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>CrisisCue QA report</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
            th{background:#f3f3f3}.num{text-align:right}.transfer{color:#0a6b2d;font-weight:bold}.safety{color:#b00020;font-weight:bold}
            .none{color:#666}.error{color:#b00020}details{margin:6px 0;border:1px solid #ddd;padding:4px 8px}
            summary{cursor:pointer}.t{color:#555;font-variant-numeric:tabular-nums}.note{color:#555;font-size:12px}
            </style></head><body>
            <h1>CrisisCue QA report</h1>
            <p class="note">Generated \(esc(ISO8601DateFormatter().string(from: generated))) by crisiscue replay. Suggestions are a second pair of ears, not a verdict; transcripts come from automatic speech recognition and contain errors. This file holds call transcripts: keep it as confidential as the recordings.</p>
            <h2>Totals</h2>
            <table>
            <tr><th>calls</th><td class="num">\(total)</td></tr>
            <tr><th>audio</th><td class="num">\(n(hours, 2)) hours</td></tr>
            <tr><th>transfer-eligible (a transfer was suggested)</th><td class="num">\(eligible) (\(pct(eligible)) %)</td></tr>
            <tr><th>final suggestion: transfer</th><td class="num">\(count(.transfer)) (\(pct(count(.transfer))) %)</td></tr>
            <tr><th>final suggestion: safety (not for a social worker alone)</th><td class="num">\(count(.safety)) (\(pct(count(.safety))) %)</td></tr>
            <tr><th>final suggestion: none</th><td class="num">\(count(.none)) (\(pct(count(.none))) %)</td></tr>
            <tr><th>calls that could not be processed</th><td class="num">\(errors)</td></tr>
            </table>
            <h2>Exclusions heard, by cause</h2>

            """
        if byCause.isEmpty {
            out += "<p class=\"none\">None.</p>\n"
        } else {
            out += "<table><tr><th>cause</th><th>calls</th></tr>\n"
            for (cause, k) in byCause.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                out += "<tr><td>\(esc(cause.replacingOccurrences(of: "_", with: " ")))</td><td class=\"num\">\(k)</td></tr>\n"
            }
            out += "</table>\n"
        }
        out += "<h2>When the suggestion came</h2>\n" + distribution(records)
        if let metadata {
            let repeats = metadata.repeatCallers(records)
            out += "<h2>Repeat callers</h2>\n<p class=\"note\">Numbers behind two or more crisis calls in this archive (from the recorder's metadata; also in repeat_callers.csv).</p>\n"
            if repeats.isEmpty {
                out += "<p class=\"none\">None.</p>\n"
            } else {
                out += "<table><tr><th>number</th><th>crisis calls</th><th>first</th><th>last</th></tr>\n"
                for r in repeats {
                    out += "<tr><td>\(esc(r.number))</td><td class=\"num\">\(r.calls.count)</td><td>\(esc(r.calls.first?.start ?? ""))</td><td>\(esc(r.calls.last?.start ?? ""))</td></tr>\n"
                }
                out += "</table>\n"
            }
        }
        out += "<h2>Calls</h2>\n<p class=\"note\">Each timeline: call time left to right; transcript segments by speaker; ▲ crisis indicator, ▼ exclusion (hollow when negated); vertical lines where the suggestion changed.</p>\n"
        for r in records { out += callSection(r) }
        return out + "</body></html>\n"
    }

    /// Histogram of first-suggestion times (10-second bins) as an inline SVG.
    static func distribution(_ records: [CallRecord]) -> String {
        let transfers = records.compactMap(\.row.firstTransferT)
        let safeties = records.compactMap(\.row.firstSafetyT)
        guard !(transfers + safeties).isEmpty else { return "<p class=\"none\">No suggestion in these calls.</p>\n" }
        let bin = 10.0
        let bins = Int(((transfers + safeties).max()! / bin).rounded(.down)) + 1
        func counts(_ xs: [Double]) -> [Int] {
            var c = [Int](repeating: 0, count: bins)
            for x in xs { c[min(bins - 1, Int(x / bin))] += 1 }
            return c
        }
        let t = counts(transfers), s = counts(safeties)
        let peak = max(1, (t + s).max()!)
        let w = 760.0, h = 180.0, left = 40.0, bottom = 30.0
        let bw = (w - left) / Double(bins)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"first suggestion times\">\n"
        for i in 0..<bins {
            let x = left + Double(i) * bw
            for (j, (k, color)) in [(t[i], "#2e8b57"), (s[i], "#c62828")].enumerated() where k > 0 {
                let bh = (h - bottom - 10) * Double(k) / Double(peak)
                svg += "<rect x=\"\(n(x + Double(j) * bw / 2 + 1))\" y=\"\(n(h - bottom - bh))\" width=\"\(n(bw / 2 - 2))\" height=\"\(n(bh))\" fill=\"\(color)\"><title>\(k) call(s), \(j == 0 ? "transfer" : "safety") at \(Int(Double(i) * bin))-\(Int(Double(i + 1) * bin)) s</title></rect>\n"
            }
            if i % max(1, bins / 10) == 0 {
                svg += "<text x=\"\(n(x))\" y=\"\(n(h - 10))\" font-size=\"11\">\(Int(Double(i) * bin)) s</text>\n"
            }
        }
        svg += "<text x=\"4\" y=\"14\" font-size=\"11\">calls (max \(peak))</text></svg>\n"
        return svg + "<p class=\"note\"><span class=\"transfer\">■ first transfer suggestion</span> &nbsp; <span class=\"safety\">■ first safety suggestion</span>, by call time, 10-second bins.</p>\n"
    }

    static func callSection(_ r: CallRecord) -> String {
        let action = r.row.action?.rawValue ?? "error"
        var head = "<b>\(esc(r.row.call))</b> — <span class=\"\(r.row.error != nil ? "error" : action)\">\(esc(action))</span>"
        if let t = r.row.firstTransferT { head += " · first transfer at <span class=\"t\">\(clock(t))</span>" }
        if let t = r.row.firstSafetyT { head += " · first safety at <span class=\"t\">\(clock(t))</span>" }
        if !r.exclusions.isEmpty { head += " · exclusions: " + esc(r.exclusions.joined(separator: ", ")) }
        if let e = r.row.error { head += " · <span class=\"error\">\(esc(e))</span>" }
        var out = "<details><summary>\(head) <span class=\"note\">\(esc(r.row.file))</span></summary>\n"
        if let duration = r.row.audioSeconds, duration > 0 { out += timeline(r, duration: duration) }
        if !r.segments.isEmpty {
            out += "<table><tr><th>time</th><th>speaker</th><th>heard</th></tr>\n"
            for s in r.segments {
                out += "<tr><td class=\"t\">\(clock(s.start))</td><td>\(esc(s.speaker))</td><td>\(esc(s.text))</td></tr>\n"
            }
            out += "</table>\n"
        }
        return out + "</details>\n"
    }

    static func timeline(_ r: CallRecord, duration: Double) -> String {
        let w = 1000.0, left = 60.0, right = 10.0
        let rows = ["caller", "taker", "unknown"]
        let h = 30.0 + Double(rows.count) * 18 + 30
        func x(_ t: Double) -> Double { left + (w - left - right) * min(max(t, 0), duration) / duration }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"timeline of \(esc(r.row.call))\">\n"
        for (i, name) in rows.enumerated() {
            svg += "<text x=\"4\" y=\"\(n(42 + Double(i) * 18))\" font-size=\"11\">\(name)</text>\n"
        }
        for s in r.segments {
            let row = Double(rows.firstIndex(of: s.speaker) ?? 2)
            svg += "<rect x=\"\(n(x(s.start)))\" y=\"\(n(31 + row * 18))\" width=\"\(n(max(1, x(s.end) - x(s.start))))\" height=\"14\" fill=\"#9db7d5\"><title>\(clock(s.start)) \(esc(s.text))</title></rect>\n"
        }
        for m in r.marks {
            let cx = x(m.end), safety = m.kind == "safety"
            let color = safety ? "#c62828" : "#2e8b57"
            let points = safety ? "\(n(cx - 5)),12 \(n(cx + 5)),12 \(n(cx)),22" : "\(n(cx - 5)),22 \(n(cx + 5)),22 \(n(cx)),12"
            let fill = m.negated ? "none" : color
            svg += "<polygon points=\"\(points)\" fill=\"\(fill)\" stroke=\"\(color)\"><title>\(clock(m.end)) \(m.negated ? "negated " : "")\(esc(m.category)): \(esc(m.phrase))</title></polygon>\n"
        }
        for c in r.changes {
            let color = c.action == "transfer" ? "#2e8b57" : c.action == "safety" ? "#c62828" : "#777"
            svg += "<line x1=\"\(n(x(c.t)))\" y1=\"8\" x2=\"\(n(x(c.t)))\" y2=\"\(n(h - 22))\" stroke=\"\(color)\" stroke-width=\"2\" stroke-dasharray=\"4 2\"><title>\(clock(c.t)) suggestion: \(c.action)</title></line>\n"
            svg += "<text x=\"\(n(x(c.t) + 3))\" y=\"\(n(h - 24))\" font-size=\"11\" fill=\"\(color)\">\(c.action)</text>\n"
        }
        var tick = 0.0
        let step = duration > 300 ? 60.0 : duration > 60 ? 15.0 : 5.0
        while tick <= duration {
            svg += "<text x=\"\(n(x(tick)))\" y=\"\(n(h - 4))\" font-size=\"10\" fill=\"#555\">\(clock(tick))</text>\n"
            tick += step
        }
        return svg + "</svg>\n"
    }
}
