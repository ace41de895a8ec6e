/// Turns heard or typed words into the tokens the intent matcher compares.
///
/// Lower case, contractions expanded ("doesn't" -> "does not", "he's" -> "he is"), and
/// each token reduced to a crude stem so that inflections match ("kills", "killed",
/// "killing" -> "kill"; "overdosed" -> "overdos"). Templates and transcripts go through
/// the same function, so the stems only need to be consistent, not linguistic.
public enum TokenNormalizer {
    /// A token of a transcript: its stem and the index of the word it came from.
    public struct Token: Equatable, Sendable {
        public var stem: String
        public var word: Int
        /// True for a clause boundary that typed text marks with punctuation.
        public var isBreak: Bool
        /// True for a break typed as `?`.
        public var isQuestionMark = false

        public init(stem: String, word: Int, isBreak: Bool = false) {
            self.stem = stem
            self.word = word
            self.isBreak = isBreak
        }
    }

    /// The stem marking a sentence boundary (`.`, `!`, `?`, `;` in typed text).
    public static let breakStem = "|"
    /// The stem marking a pause inside a sentence (`,`, `:`): it ends a negation's reach
    /// but not a question's.
    public static let commaStem = ","

    /// Tokens of `words` (as heard: one string per recognised word; typed text may carry
    /// punctuation, which becomes a break token).
    public static func tokens(_ words: [String]) -> [Token] {
        var tokens: [Token] = []
        for (index, raw) in words.enumerated() {
            var current = ""
            func flush() {
                guard !current.isEmpty else { return }
                for piece in expand(current) where !piece.isEmpty {
                    tokens.append(Token(stem: stem(piece), word: index))
                }
                current = ""
            }
            for ch in raw.lowercased() {
                if ch.isLetter || ch.isNumber || ch == "'" || ch == "\u{2019}" {
                    current.append(ch == "\u{2019}" ? "'" : ch)
                } else if ch == "-" {
                    flush()
                } else if ".,;:!?".contains(ch) {
                    flush()
                    let stem = ",:".contains(ch) ? commaStem : breakStem
                    if let last = tokens.last, last.isBreak {
                        if stem == breakStem { tokens[tokens.count - 1].stem = breakStem }
                    } else {
                        tokens.append(Token(stem: stem, word: index, isBreak: true))
                    }
                    if ch == "?" { tokens[tokens.count - 1].isQuestionMark = true }
                } else {
                    flush()
                }
            }
            flush()
        }
        return tokens
    }

    /// Hesitation sounds a caller fills pauses with ("um", "uh"; "uh huh" is a reply and
    /// stays; "er" is also the ER).
    static let fillerStems: Set<String> = Set(["um", "umm", "uh", "uhh", "uhm", "erm", "hmm", "mm", "ah"].map(stem))

    /// Words said twice on purpose, never collapsed: numbers ("a thirty thirty", "nine
    /// nine") and "no no" ("no no, it's just a toy" takes back what came before).
    static let meantTwice: Set<String> = Set((["no"] + ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "oh"]).map(stem))

    /// `tokens` as the caller meant them: hesitation sounds dropped, and a word or a few
    /// said twice in a row kept once ("he's, he's got a, a knife" reads "he's got a
    /// knife"; "she, uh, she cut herself" reads "she cut herself"). A pause typed around a
    /// hesitation stays one pause ("no, um, a knife" is not "no knife"); one typed between
    /// the two copies goes with the first. Only transcripts go through this, never
    /// templates.
    public static func withoutDisfluencies(_ tokens: [Token]) -> [Token] {
        let huh = stem("huh")
        func isComma(_ t: Token) -> Bool { t.isBreak && t.stem == commaStem }
        var fluent: [Token] = []
        for (i, t) in tokens.enumerated() {
            if !t.isBreak, fillerStems.contains(t.stem), !(i + 1 < tokens.count && tokens[i + 1].stem == huh) { continue }
            // the pauses around a dropped hesitation become one; none opens the text
            if isComma(t), fluent.last.map(isComma) ?? true { continue }
            fluent.append(t)
        }
        var kept: [Token] = []
        for t in fluent {
            kept.append(t)
            // "X X" or "X, X" with X of one to three words: keep the second copy.
            for n in 1...3 {
                let end = kept.count
                guard end - n >= 0, !kept[(end - n)..<end].contains(where: \.isBreak) else { break }
                if n == 1, meantTwice.contains(t.stem) { continue }
                var firstEnd = end - n
                if firstEnd > 0, isComma(kept[firstEnd - 1]) { firstEnd -= 1 }
                guard firstEnd - n >= 0 else { continue }
                let first = kept[(firstEnd - n)..<firstEnd]
                guard !first.contains(where: \.isBreak),
                      first.map(\.stem) == kept[(end - n)..<end].map(\.stem) else { continue }
                kept.removeSubrange((firstEnd - n)..<(end - n))
                break
            }
        }
        return kept
    }

    /// Stems of a single word, contractions expanded.
    public static func stems(_ word: String) -> [String] {
        tokens([word]).filter { !$0.isBreak }.map(\.stem)
    }

    static let irregular: [String: [String]] = [
        "can't": ["can", "not"], "cannot": ["can", "not"], "won't": ["will", "not"],
        "ain't": ["is", "not"], "i'm": ["i", "am"], "let's": ["let", "us"],
        "gonna": ["going", "to"], "wanna": ["want", "to"], "gotta": ["got", "to"],
    ]

    static func expand(_ word: String) -> [String] {
        // A dropped g ("killin'", "nothin'", "fixin'") is the -ing word.
        if word.count > 4 && word.hasSuffix("in'") { return [String(word.dropLast()) + "g"] }
        let w = word.trimmingApostrophes
        if let known = irregular[w] { return known }
        if w.hasSuffix("n't") { return [String(w.dropLast(3)), "not"] }
        for (suffix, full) in [("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"), ("'m", "am")]
        where w.hasSuffix(suffix) && w.count > suffix.count {
            return [String(w.dropLast(suffix.count)), full]
        }
        if w.hasSuffix("'s") && w.count > 2 {
            let base = String(w.dropLast(2))
            // "he's", "she's", "it's", "that's", "there's", "what's": is/has. Nouns keep
            // the possessive off ("brother's" -> "brother").
            return subjectLike.contains(base) ? [base, "is"] : [base]
        }
        return [w.replacingOccurrences(of: "'", with: "")]
    }

    static let subjectLike: Set<String> = [
        "he", "she", "it", "that", "there", "what", "who", "where", "here", "everybody",
        "everyone", "nobody", "somebody", "someone", "nothing", "something", "how",
    ]

    /// A crude suffix-stripping stemmer; consistent, not linguistic.
    public static func stem(_ word: String) -> String {
        var w = Array(word)
        guard w.count > 3, w.allSatisfy({ $0.isLetter }) else { return word }
        func ends(_ s: String) -> Bool { w.count > s.count + 1 && String(w.suffix(s.count)) == s }
        if ends("ying") {
            w.removeLast(4)
            w.append(contentsOf: "ie")
        } else if ends("ing") {
            w.removeLast(3)
            undouble(&w)
        } else if ends("ied") {
            w.removeLast(3)
            w.append(contentsOf: "ie")
        } else if ends("ed") && !ends("eed") && w.count > 4 {
            w.removeLast(2)
            undouble(&w)
        } else if ends("ies") {
            w.removeLast(3)
            w.append(contentsOf: "ie")
        } else if ends("es") && "sxz".contains(w[w.count - 3]) && w.count > 4 {
            w.removeLast(2)
        } else if w.last == "s" && !ends("ss") && !ends("us") && !ends("is") {
            w.removeLast()
        } else if ends("ly") && w.count > 5 {
            w.removeLast(2)
        }
        if w.count > 3 && w.last == "e" { w.removeLast() }
        return String(w)
    }

    private static func undouble(_ w: inout [Character]) {
        guard w.count >= 3, let last = w.last, w[w.count - 2] == last, !"lszf".contains(last),
            !"aeiou".contains(last)
        else { return }
        w.removeLast()
    }
}

extension String {
    fileprivate var trimmingApostrophes: String {
        var s = Substring(self)
        while s.first == "'" { s = s.dropFirst() }
        while s.last == "'" && !s.hasSuffix("s'") { s = s.dropLast() }
        return String(s)
    }
}
