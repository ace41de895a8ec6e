/// Lays out the side panel: a pure function of the state and the terminal size.
///
/// Wide terminals (90 columns and 16 rows or more): the transcript pane on the left, and on the
/// right the suggestion card above the pipeline box. Narrow ones: the card collapses to
/// a one-line summary above the transcript. A one-line key-hint bar at the bottom. Colour
/// never carries meaning alone: the card says its action in words, and indicator phrases
/// are marked in the transcript as `[phrase]` (crisis), `[!phrase]` (exclusion) and
/// `[~phrase]` (negated).
public enum PanelRenderer {
    public struct Options: Sendable {
        /// Box drawing with `+`, `-` and `|` for terminals without Unicode.
        public var ascii = false
        /// Styles off (`--no-color`, `NO_COLOR`): bold and dim stay, colours go.
        public var color = true

        public init(ascii: Bool = false, color: Bool = true) {
            self.ascii = ascii
            self.color = color
        }
    }

    public static let narrowBelow = 90

    public static func render(_ state: PanelState, columns: Int, rows: Int, options: Options = .init()) -> Screen {
        var screen = Screen(columns: columns, rows: rows)
        guard columns >= 20, rows >= 6 else {
            screen.put("CrisisCue: enlarge the terminal", row: 0, column: 0)
            return screen
        }
        var r = Renderer(screen: screen, options: options)
        let body = rows - 1
        if columns >= narrowBelow && rows >= 16 {
            let side = min(48, max(36, columns * 36 / 100))
            let main = columns - side
            r.transcript(state, top: 0, left: 0, width: main, height: body)
            let pipelineHeight = 8
            r.card(state, top: 0, left: main, width: side, height: body - pipelineHeight)
            r.pipeline(state, top: body - pipelineHeight, left: main, width: side, height: pipelineHeight)
        } else {
            r.summaryLine(state, row: 0)
            r.pipelineLine(state, row: 1)
            r.transcript(state, top: 2, left: 0, width: columns, height: body - 2)
        }
        r.hints(state, row: rows - 1)
        if state.showHelp { r.help(columns: columns, rows: rows) }
        screen = r.screen
        return screen
    }

    /// `m:ss.s` call time.
    public static func clock(_ t: Double) -> String {
        let tenths = Int((max(0, t) * 10).rounded())
        let s = (tenths % 600) / 10
        return "\(tenths / 600):\(s < 10 ? "0" : "")\(s).\(tenths % 10)"
    }

    /// Greedy word wrap to `width` columns (long words are cut).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var w = String(word)
            while w.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(w.prefix(width)))
                w = String(w.dropFirst(width))
            }
            if current.isEmpty {
                current = w
            } else if current.count + 1 + w.count <= width {
                current += " " + w
            } else {
                lines.append(current)
                current = w
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    static func label(_ category: String) -> String { category.replacingOccurrences(of: "_", with: " ") }
}

/// One rendering pass.
private struct Renderer {
    var screen: Screen
    let options: PanelRenderer.Options

    func style(_ s: Screen.Style) -> Screen.Style {
        var s = s
        if !options.color { s.color = .none }
        return s
    }

    mutating func box(title: String, top: Int, left: Int, width: Int, height: Int, titleStyle: Screen.Style = .init(bold: true)) {
        guard width >= 2, height >= 2 else { return }
        let (h, v, tl, tr, bl, br): (Character, Character, Character, Character, Character, Character) =
            options.ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
        let bottom = top + height - 1
        screen.fill(row: top, from: left + 1, to: left + width - 1, character: h)
        screen.fill(row: bottom, from: left + 1, to: left + width - 1, character: h)
        screen.put(String(tl), row: top, column: left)
        screen.put(String(tr), row: top, column: left + width - 1)
        screen.put(String(bl), row: bottom, column: left)
        screen.put(String(br), row: bottom, column: left + width - 1)
        for row in (top + 1)..<bottom {
            screen.put(String(v), row: row, column: left)
            screen.put(String(v), row: row, column: left + width - 1)
        }
        screen.put(" \(title) ", row: top, column: left + 2, width: width - 4, style: style(titleStyle))
    }

    // MARK: transcript

    struct Run {
        var text: String
        var style: Screen.Style
    }

    mutating func transcript(_ state: PanelState, top: Int, left: Int, width: Int, height: Int) {
        box(title: "Transcript: \(state.call)", top: top, left: left, width: width, height: height)
        let inner = width - 4
        let visible = height - 2
        guard inner > 10, visible > 0 else { return }
        // Visual rows from the bottom up, so only what fits is laid out.
        var rows: [[Run]] = []
        for p in state.partials {
            let prefix = "       \(speakerLabel(p.speaker))"
            let wrapped = PanelRenderer.wrap("(partial) " + p.text, width: inner - prefix.count)
            rows += wrapped.enumerated().map { i, text in
                [Run(text: i == 0 ? prefix : String(repeating: " ", count: prefix.count), style: .init(dim: true)),
                 Run(text: text, style: .init(dim: true))]
            }
        }
        for line in state.lines.reversed() {
            if rows.count >= visible { break }
            rows = layout(line, width: inner) + rows
        }
        let shown = rows.suffix(visible)
        var row = top + 1 + (visible - shown.count)
        for runs in shown {
            var c = left + 2
            for run in runs { c = screen.put(run.text, row: row, column: c, width: left + 2 + inner - c, style: style(run.style)) }
            row += 1
        }
    }

    func speakerLabel(_ s: Speaker) -> String {
        switch s {
        case .caller: "caller "
        case .taker: "taker  "
        case .unknown: "       "
        }
    }

    /// A final line: time and speaker, then the text with indicator phrases marked.
    func layout(_ line: PanelState.Line, width: Int) -> [[Run]] {
        let prefix = "\(PanelRenderer.clock(line.t).leftPadded(6)) \(speakerLabel(line.speaker))"
        // Mark each highlighted phrase where it occurs (first occurrence, whole words).
        var words = line.text.split(separator: " ").map(String.init)
        var marks = [Screen.Style?](repeating: nil, count: words.count)
        for h in line.highlights {
            let phrase = h.phrase.split(separator: " ").map(String.init)
            guard !phrase.isEmpty, phrase.count <= words.count else { continue }
            for start in 0...(words.count - phrase.count) where Array(words[start..<(start + phrase.count)]) == phrase {
                let tag = h.negated ? "[~" : h.kind == "safety" ? "[!" : "["
                words[start] = tag + words[start]
                words[start + phrase.count - 1] += "]"
                let s: Screen.Style = h.negated
                    ? .init(dim: true, underline: true)
                    : .init(bold: true, underline: true, color: h.kind == "safety" ? .red : .yellow)
                for i in start..<(start + phrase.count) { marks[i] = s }
                break
            }
        }
        // Wrap word by word, keeping each word's style.
        var rows: [[Run]] = []
        var current: [Run] = [Run(text: prefix, style: .init(dim: false))]
        var used = 0
        let room = max(8, width - prefix.count)
        for (i, word) in words.enumerated() {
            let w = String(word.prefix(room))
            if used > 0 && used + 1 + w.count > room {
                rows.append(current)
                current = [Run(text: String(repeating: " ", count: prefix.count), style: .plain)]
                used = 0
            }
            if used > 0 { current.append(Run(text: " ", style: .plain)); used += 1 }
            current.append(Run(text: w, style: marks[i] ?? .plain))
            used += w.count
        }
        rows.append(current)
        return rows
    }

    // MARK: suggestion card

    mutating func card(_ state: PanelState, top: Int, left: Int, width: Int, height: Int) {
        let inner = width - 4
        var lines: [(String, Screen.Style)] = []
        func add(_ text: String, _ s: Screen.Style = .plain, indent: Int = 0) {
            for (i, l) in PanelRenderer.wrap(text, width: inner - indent).enumerated() {
                lines.append((String(repeating: " ", count: indent + (i > 0 ? 0 : 0)) + l, s))
            }
        }
        var title = "Suggestion"
        if let card = state.visibleCard {
            let pct = Int((card.confidence * 100).rounded())
            switch card.action {
            case .transfer:
                title = "Suggestion: TRANSFER"
                add("Suggest live transfer to social worker", .init(bold: true, inverse: true, color: .green))
            case .safety:
                title = "Suggestion: SAFETY"
                let blocking = (card.details?.blocking ?? []).map(PanelRenderer.label).joined(separator: ", ")
                add("Not for social worker alone: \(blocking.isEmpty ? "exclusion heard" : blocking)",
                    .init(bold: true, inverse: true, color: .red))
            case .none:
                break
            }
            if let service = card.details?.service { add("Needs: \(service)") }
            if let resource = card.details?.resource { add("Resource: \(resource)") }
            add("Confidence \(pct)%  (since \(PanelRenderer.clock(card.t)))", .init(dim: true))
            if state.choice == .accept { add("ACCEPTED: transfer recorded", .init(bold: true)) }
            lines.append(("", .plain))
            add("Evidence:", .init(bold: true))
            for reason in card.reasons {
                add("\(PanelRenderer.clock(reason.t)) \(PanelRenderer.label(reason.category))")
                add("\"\(reason.phrase)\"", .init(dim: false), indent: 2)
            }
        } else if let card = state.card, state.choice == .dismiss, card.action != .none {
            add("Dismissed (\(card.action.rawValue)); shows again if the evidence changes", .init(dim: true))
        } else {
            add("No suggestion: listening", .init(dim: true))
        }
        box(title: title, top: top, left: left, width: width, height: height)
        let room = height - 2
        for (i, (text, s)) in lines.prefix(max(0, room)).enumerated() {
            screen.put(text, row: top + 1 + i, column: left + 2, width: inner, style: style(s))
        }
        if lines.count > room, room > 0 {
            screen.put("…", row: top + room, column: left + width - 3, style: .init(dim: true))
        }
    }

    // MARK: pipeline

    func meter(_ db: Double, width: Int) -> String {
        let filled = db.isFinite ? Int(((db + 60) / 60 * Double(width)).rounded()) : 0
        let n = min(width, max(0, filled))
        return String(repeating: options.ascii ? "#" : "█", count: n) + String(repeating: options.ascii ? "." : "·", count: width - n)
    }

    func levelText(_ db: Double) -> String {
        db.isFinite ? "\(Int(db.rounded())) dB" : "silent"
    }

    func ms(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        return "\(Int((seconds * 1000).rounded())) ms"
    }

    mutating func pipeline(_ state: PanelState, top: Int, left: Int, width: Int, height: Int) {
        let p = state.pipeline
        var title = "Pipeline"
        if p.paused { title += ": PAUSED" } else if p.finished { title += ": call ended" }
        box(title: title, top: top, left: left, width: width, height: height)
        let inner = width - 4
        var lines: [(String, Screen.Style)] = [
            ("input   \(meter(p.levelDB, width: 12)) \(levelText(p.levelDB))", .plain),
            ("voice   \(p.inSpeech ? "speech" : "silence")", .plain),
            ("latency p50 \(ms(state.latency.percentile(50)))  p95 \(ms(state.latency.percentile(95)))", .plain),
            ("overruns \(p.overruns)  dropped \(JSONObjectWriter.number(p.droppedSeconds, decimals: 2)) s", p.overruns > 0 || p.droppedSeconds > 0 ? .init(bold: true, color: .yellow) : .plain),
        ]
        if let device = p.deviceState { lines.append(("device  \(device.uppercased())", .init(bold: true, color: .red))) }
        lines.append(("\(p.sampleRate > 0 ? "\(p.sampleRate) Hz  " : "")\(p.source)", .init(dim: true)))
        for (i, (text, s)) in lines.prefix(max(0, height - 2)).enumerated() {
            screen.put(text, row: top + 1 + i, column: left + 2, width: inner, style: style(s))
        }
    }

    // MARK: narrow layout

    mutating func summaryLine(_ state: PanelState, row: Int) {
        var text: String
        var s: Screen.Style
        if let card = state.visibleCard {
            let pct = Int((card.confidence * 100).rounded())
            let why = card.reasons.first.map { " \(PanelRenderer.label($0.category)) \"\($0.phrase)\" \(PanelRenderer.clock($0.t))" } ?? ""
            if card.action == .transfer {
                text = "TRANSFER to social worker \(pct)%:" + why
                s = .init(bold: true, inverse: true, color: .green)
            } else {
                let blocking = (card.details?.blocking ?? []).map(PanelRenderer.label).joined(separator: ", ")
                text = "SAFETY, not for social worker alone: \(blocking)" + why
                s = .init(bold: true, inverse: true, color: .red)
            }
            if state.choice == .accept { text = "ACCEPTED " + text }
        } else {
            text = state.choice == .dismiss ? "suggestion dismissed" : "no suggestion: listening"
            s = .init(dim: true)
        }
        screen.put(text, row: row, column: 0, width: screen.columns, style: style(s))
    }

    mutating func pipelineLine(_ state: PanelState, row: Int) {
        let p = state.pipeline
        var text = "in \(levelText(p.levelDB)) · \(p.inSpeech ? "speech" : "silence") · p50 \(ms(state.latency.percentile(50))) · overruns \(p.overruns)"
        if let d = p.deviceState { text += " · DEVICE \(d.uppercased())" }
        if p.paused { text += " · PAUSED" }
        screen.put(text, row: row, column: 0, width: screen.columns, style: .init(dim: true))
    }

    // MARK: key hints and help

    mutating func hints(_ state: PanelState, row: Int) {
        let wide = screen.columns >= PanelRenderer.narrowBelow
        let keys = state.showHelp ? " ? close help  q quit"
            : wide ? " a accept  d dismiss  p pause  r reset stats  ? help  q quit" : " a accept d dismiss p pause ? help q quit"
        screen.fill(row: row, from: 0, to: screen.columns, style: .init(inverse: true))
        screen.put(keys, row: row, column: 0, style: .init(inverse: true))
        let clock = " \(PanelRenderer.clock(state.t)) "
        screen.put(clock, row: row, column: max(0, screen.columns - clock.count), style: .init(inverse: true))
    }

    mutating func help(columns: Int, rows: Int) {
        let text = [
            "a  accept the suggestion (records the transfer)",
            "d  dismiss it (it returns only if the evidence changes)",
            "p  pause or resume (replay)",
            "r  reset the latency statistics",
            "?  this help      q  quit",
            "",
            "[phrase]  crisis indicator as heard",
            "[!phrase] safety exclusion (weapon, violence, medical)",
            "[~phrase] negated (\"no weapons\")",
        ]
        let width = min(columns - 4, 62)
        let height = min(rows - 2, text.count + 2)
        let top = max(0, (rows - height) / 2)
        let left = max(0, (columns - width) / 2)
        for r in top..<(top + height) { screen.fill(row: r, from: left, to: left + width) }
        box(title: "Help", top: top, left: left, width: width, height: height)
        for (i, line) in text.prefix(max(0, height - 2)).enumerated() {
            screen.put(line, row: top + 1 + i, column: left + 2, width: width - 4)
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
