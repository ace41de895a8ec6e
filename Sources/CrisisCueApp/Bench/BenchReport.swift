import CrisisCueCore

/// What `bench` prints: a table for people, JSON for scripts (shape fixed by the issue:
/// `latency_ms`, `stages`, `rtf`, `cpu_percent`, `max_rss_mb`, `overruns`).
struct BenchReport {
    var source: String
    var audioSeconds: Double
    var rtf: Double
    var stages: [(String, LatencyStats)]
    /// Phrase end to the frame showing the indicator.
    var endToEnd: LatencyStats
    /// Phrase end (the last indicator's) to the frame showing the suggestion's card.
    var card: LatencyStats
    /// The end of the words a card was decided on (the hypothesis the suggestion changed
    /// on) to its frame: the machine's share of a card's latency, without the time the
    /// model waited for more of the call.
    var cardFromWords: LatencyStats
    /// Each labelled call's first suggestion of its label, from the end of the line that
    /// makes the label decidable (shown before that line ended counts as 0); `missed`:
    /// calls where it never showed.
    var decisive: (calls: Int, missed: Int, stats: LatencyStats)?
    var peer: (endToEnd: LatencyStats, card: LatencyStats, cardFromWords: LatencyStats, lines: Int)?
    var cpuPercent: Double
    var threadCPU: [(String, Double)]
    var maxRSSMB: Double
    var overruns: Int
    var droppedSeconds: Double
    var headless: Bool

    var json: String {
        var o = JSONObjectWriter()
        o.add("source", .string(source))
        o.add("audio_seconds", .seconds(audioSeconds))
        o.add("latency_ms", endToEnd.json)
        var st = JSONObjectWriter()
        for (name, s) in stages { st.add(name, s.json) }
        o.add("stages", .raw(st.text))
        o.add("card_latency_ms", card.json)
        o.add("card_from_words_ms", cardFromWords.json)
        if let d = decisive {
            var dj = JSONObjectWriter()
            dj.add("calls", .int(d.calls))
            dj.add("never_shown", .int(d.missed))
            dj.add("latency_ms", d.stats.json)
            o.add("decisive", .raw(dj.text))
        }
        o.add("rtf", .ratio(rtf))
        o.add("cpu_percent", .seconds(cpuPercent))
        var threads = JSONObjectWriter()
        for (name, pct) in threadCPU { threads.add(name, .seconds(pct)) }
        o.add("thread_cpu_percent", .raw(threads.text))
        o.add("max_rss_mb", .seconds(maxRSSMB))
        o.add("overruns", .int(overruns))
        o.add("dropped_seconds", .seconds(droppedSeconds))
        o.add("ui", .string(headless ? "headless" : "terminal"))
        if let p = peer {
            var pj = JSONObjectWriter()
            pj.add("tool", .string("pocketsphinx_continuous"))
            pj.add("latency_ms", p.endToEnd.json)
            pj.add("card_latency_ms", p.card.json)
            pj.add("card_from_words_ms", p.cardFromWords.json)
            pj.add("hypotheses", .int(p.lines))
            if p.endToEnd.count > 0 && endToEnd.count > 0 {
                pj.add("ratio_p50", .ratio(endToEnd.ms(50) / max(0.001, p.endToEnd.ms(50))))
                pj.add("ratio_p99", .ratio(endToEnd.ms(99) / max(0.001, p.endToEnd.ms(99))))
            }
            o.add("peer", .raw(pj.text))
        }
        return o.text
    }

    var table: [String] {
        func n(_ x: Double) -> String { JSONObjectWriter.number(x, decimals: 1) }
        func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
        func lpad(_ s: String, _ w: Int) -> String { s.count >= w ? s : String(repeating: " ", count: w - s.count) + s }
        func row(_ name: String, _ s: LatencyStats) -> String {
            guard s.count > 0 else { return pad(name, 44) + "  (nothing measured)" }
            return pad(name, 44) + [s.ms(50), s.ms(90), s.ms(99), s.maxMs].map { lpad(n($0), 9) }.joined() + lpad("\(s.count)", 8)
        }
        var lines = [
            "bench: \(source), \(n(audioSeconds)) s of audio at 1x, panel \(headless ? "headless" : "on the terminal")",
            pad("latency (ms)", 44) + ["p50", "p90", "p99", "max"].map { lpad($0, 9) }.joined() + lpad("n", 8),
        ]
        let labels = [
            "capture": "capture (period boundary to ring)", "handoff": "hand-off (ring to decoder, incl. queue)",
            "recognition": "recognition (phrase end to hypothesis)", "intent": "intent (hypothesis to suggestion)",
            "render": "render (suggestion to screen written)",
        ]
        for (name, s) in stages { lines.append(row("  " + (labels[name] ?? name), s)) }
        lines.append(row("end to end: phrase end to indicator on screen", endToEnd))
        lines.append(row("end to end: phrase end to card on screen", card))
        lines.append(row("  card from the words it was decided on", cardFromWords))
        if let p = peer {
            lines.append(row("pocketsphinx_continuous: phrase end to hyp", p.endToEnd))
            lines.append(row("pocketsphinx_continuous: card phrase to hyp", p.card))
            lines.append(row("pocketsphinx_continuous: card words to hyp", p.cardFromWords))
            if p.endToEnd.count > 0 && endToEnd.count > 0 {
                lines.append("ratio CrisisCue / peer: p50 \(JSONObjectWriter.number(endToEnd.ms(50) / p.endToEnd.ms(50), decimals: 2)), p99 \(JSONObjectWriter.number(endToEnd.ms(99) / p.endToEnd.ms(99), decimals: 2))")
            }
        }
        if let d = decisive {
            lines.append(row("decisive suggestion after its line's end", d.stats))
            lines.append("  (\(d.calls) labelled calls; the right suggestion never shown on \(d.missed); shown before the line ended counts as 0)")
        }
        lines.append("RTF \(JSONObjectWriter.number(rtf, decimals: 3)); CPU \(n(cpuPercent))% of a core ("
            + threadCPU.map { "\($0.0) \(JSONObjectWriter.number($0.1, decimals: 2))%" }.joined(separator: ", ")
            + "); peak RSS \(n(maxRSSMB)) MB; overruns \(overruns); dropped \(JSONObjectWriter.number(droppedSeconds, decimals: 3)) s")
        return lines
    }
}
