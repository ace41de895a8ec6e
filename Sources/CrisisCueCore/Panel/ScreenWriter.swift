/// Turns screens into the escape sequences that bring the terminal from one to the next:
/// only the span of each row that changed is written, in one write(2).
public struct ScreenWriter {
    private var previous: Screen?

    public init() {}

    /// Forgets what is on the terminal (after a resize): the next frame is written whole.
    public mutating func invalidate() { previous = nil }

    public mutating func frame(_ screen: Screen) -> String {
        var out = ""
        if previous == nil || previous!.columns != screen.columns || previous!.rows != screen.rows {
            out += "\u{1B}[0m\u{1B}[2J"
            previous = nil
        }
        var current: Screen.Style?
        for row in 0..<screen.rows {
            let span: Range<Int>
            if let previous {
                guard let s = screen.changedSpan(row: row, from: previous) else { continue }
                span = s
            } else {
                span = 0..<screen.columns
            }
            // Leave the last cell of the last row alone: writing it scrolls some terminals.
            let end = row == screen.rows - 1 ? min(span.upperBound, screen.columns - 1) : span.upperBound
            guard span.lowerBound < end else { continue }
            out += "\u{1B}[\(row + 1);\(span.lowerBound + 1)H"
            for c in span.lowerBound..<end {
                let cell = screen.cells[row][c]
                if cell.style != current {
                    out += Self.sgr(cell.style)
                    current = cell.style
                }
                out.append(cell.character)
            }
        }
        if !out.isEmpty { out += "\u{1B}[0m" }
        previous = screen
        return out
    }

    static func sgr(_ s: Screen.Style) -> String {
        var codes = ["0"]
        if s.bold { codes.append("1") }
        if s.dim { codes.append("2") }
        if s.underline { codes.append("4") }
        if s.inverse { codes.append("7") }
        switch s.color {
        case .none: break
        case .red: codes.append("31")
        case .green: codes.append("32")
        case .yellow: codes.append("33")
        case .cyan: codes.append("36")
        }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
