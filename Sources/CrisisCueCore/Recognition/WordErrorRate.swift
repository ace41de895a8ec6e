/// Word error rate by Levenshtein alignment of normalised words.
public struct WordErrorCount: Equatable, Sendable {
    public var substitutions = 0
    public var deletions = 0
    public var insertions = 0
    /// Words in the reference.
    public var referenceWords = 0

    public init() {}

    public var errors: Int { substitutions + deletions + insertions }
    public var rate: Double { referenceWords == 0 ? (errors == 0 ? 0 : 1) : Double(errors) / Double(referenceWords) }

    public static func + (a: Self, b: Self) -> Self {
        var s = a
        s.substitutions += b.substitutions
        s.deletions += b.deletions
        s.insertions += b.insertions
        s.referenceWords += b.referenceWords
        return s
    }

    /// Aligns `hypothesis` against `reference` (both already split into words).
    public static func align(reference: [String], hypothesis: [String]) -> Self {
        let n = reference.count, m = hypothesis.count
        // cost[j] for the current row; ops tracked by re-walking a full table (calls are short).
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in 0...n { table[i][0] = i }
        for j in 0...m { table[0][j] = j }
        if n > 0 && m > 0 {
            for i in 1...n {
                for j in 1...m {
                    let sub = table[i - 1][j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1)
                    table[i][j] = min(sub, table[i - 1][j] + 1, table[i][j - 1] + 1)
                }
            }
        }
        var result = Self()
        result.referenceWords = n
        var i = n, j = m
        while i > 0 || j > 0 {
            if i > 0 && j > 0 && table[i][j] == table[i - 1][j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1) {
                if reference[i - 1] != hypothesis[j - 1] { result.substitutions += 1 }
                i -= 1; j -= 1
            } else if i > 0 && table[i][j] == table[i - 1][j] + 1 {
                result.deletions += 1
                i -= 1
            } else {
                result.insertions += 1
                j -= 1
            }
        }
        return result
    }
}

/// Normalises text for scoring: lower case, letters, digits and apostrophes only,
/// recognizer alternates (`word(2)`) and fillers (`<sil>`, `[noise]`) removed.
public enum TranscriptNormalizer {
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        for raw in text.lowercased().split(whereSeparator: { $0.isWhitespace }) {
            var token = Substring(raw)
            if token.hasPrefix("<") || token.hasPrefix("[") || token.hasPrefix("++") { continue }
            if let paren = token.firstIndex(of: "(") { token = token[..<paren] }
            let cleaned = token.unicodeScalars.map { scalar -> Character in
                (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "'") ? Character(scalar) : " "
            }
            for part in String(cleaned).split(separator: " ") {
                let trimmed = part.trimmingCharacters(in: "'")
                if !trimmed.isEmpty { words.append(trimmed) }
            }
        }
        return words
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = self[...]
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
