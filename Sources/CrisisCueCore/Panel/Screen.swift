/// A terminal screen as a grid of cells: what `PanelRenderer` produces and the terminal
/// driver writes, row spans at a time, where it changed.
public struct Screen: Equatable, Sendable {
    public enum Color: UInt8, Sendable {
        case none, red, green, yellow, cyan
    }

    public struct Style: Equatable, Sendable {
        public var bold = false
        public var dim = false
        public var inverse = false
        public var underline = false
        public var color: Color = .none

        public init(bold: Bool = false, dim: Bool = false, inverse: Bool = false, underline: Bool = false, color: Color = .none) {
            self.bold = bold
            self.dim = dim
            self.inverse = inverse
            self.underline = underline
            self.color = color
        }

        public static let plain = Style()
    }

    public struct Cell: Equatable, Sendable {
        public var character: Character
        public var style: Style

        public static let blank = Cell(character: " ", style: .plain)
    }

    public let columns: Int
    public let rows: Int
    public private(set) var cells: [[Cell]]

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        cells = Array(repeating: Array(repeating: .blank, count: self.columns), count: self.rows)
    }

    /// Writes `text` from (row, column), clipped to `width` cells (and the screen);
    /// returns the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, width: Int? = nil, style: Style = .plain) -> Int {
        guard row >= 0, row < rows else { return column }
        let limit = min(columns, column + (width ?? columns))
        var c = column
        for ch in text where c < limit {
            if c >= 0 { cells[row][c] = Cell(character: ch.isNewline ? " " : ch, style: style) }
            c += 1
        }
        return c
    }

    public mutating func fill(row: Int, from: Int, to: Int, character: Character = " ", style: Style = .plain) {
        guard row >= 0, row < rows else { return }
        for c in max(0, from)..<min(columns, max(from, to)) { cells[row][c] = Cell(character: character, style: style) }
    }

    /// The screen as plain text, one line a row, trailing spaces kept (snapshots).
    public var text: String { cells.map { String($0.map(\.character)) }.joined(separator: "\n") }

    /// The columns of `row` that differ from `old` (same size), as one span, or nil.
    public func changedSpan(row: Int, from old: Screen) -> Range<Int>? {
        guard old.columns == columns, old.rows == rows else { return 0..<columns }
        let a = cells[row], b = old.cells[row]
        guard let first = a.indices.first(where: { a[$0] != b[$0] }) else { return nil }
        let last = a.indices.last(where: { a[$0] != b[$0] })!
        return first..<(last + 1)
    }
}
