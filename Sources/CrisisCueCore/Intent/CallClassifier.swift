import Foundation

/// The intent stage's second step: a call classifier over the whole call so far.
///
/// The phrase rules (`IntentMatcher`) find evidence; this reads every word of the call
/// (both voices, as a mono recording mixes them) and gives the probability of each
/// suggestion. It is a multinomial logistic regression over TF-IDF weighted word 1- to
/// 3-grams (sublinear term frequency, L2-normalised), trained by
/// `scripts/train-call-classifier` on the development call scripts and stored as
/// `models/classifier.tsv`. `ClassifierPolicy` turns its probabilities into the
/// suggestion.
///
/// Tokens are runs of `a`-`z` and the apostrophe in the lower-cased text, exactly as the
/// trainer's (scikit-learn's `token_pattern`); n-grams join tokens with one space.
///
/// Faint words: a model trained with `--faint BELOW:FILE` (an `@faint` line) reads a
/// listed word of a final hypothesis whose posterior in the recognizer's lattice is under
/// BELOW as another token, the word with `'faint` after it ("knife'faint"). The trainer
/// marks its kept decodes the same way, so the classifier learns how far a danger word
/// heard faintly (often one the recognizer made up out of other words) counts. Measured
/// in stop 48 and not used by the shipped classifiers (docs/history.md, "Stop 48").
public struct CallClassifier: Sendable {
    public struct Probabilities: Equatable, Sendable {
        public var transfer: Double
        public var safety: Double
        public var none: Double

        public init(transfer: Double, safety: Double, none: Double) {
            self.transfer = transfer
            self.safety = safety
            self.none = none
        }

        public subscript(_ action: SuggestedAction) -> Double {
            switch action {
            case .transfer: transfer
            case .safety: safety
            case .none: none
            }
        }

        /// The most probable suggestion (ties go to the safer one: safety, none, transfer).
        public var best: SuggestedAction {
            if safety >= transfer && safety >= none { return .safety }
            return none >= transfer ? .none : .transfer
        }
    }

    /// A malformed model file, with the line at fault.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    static let classes: [SuggestedAction] = [.transfer, .safety, .none]
    /// N-grams shown as evidence must be this rare in the training calls: "he", "his" and
    /// "he's been" push too, but tell a telecommunicator nothing.
    static let evidenceMinIDF = 3.0
    let index: [String: Int32]
    /// The n-grams by row, for evidence.
    let names: [String]
    /// Per n-gram: IDF, then the weight of transfer, safety, none.
    let table: [Double]
    let intercept: [Double]
    /// Texts and the probabilities the trainer computed for them (`check` lines).
    public let checks: [(text: String, probabilities: Probabilities)]
    public var ngrams: Int { index.count }
    /// The mark a faint word's token carries.
    public static let faintMark = "'faint"
    /// Words marked when their confidence is under `faintBelow` (empty: none).
    public let faintWords: Set<String>
    public let faintBelow: Double
    /// Classifiers whose probabilities are averaged with this one's (`classifier.blend`
    /// in the intent model): e.g. one trained on whole calls and one on calls as they
    /// are heard, line by line.
    public var blend: [CallClassifier] = []

    /// Parses the trainer's tab-separated file.
    public init(tsv: String) throws {
        var index: [String: Int32] = [:]
        var table: [Double] = []
        var intercept: [Double]?
        var checks: [(String, Probabilities)] = []
        var sawClasses = false
        var faintWords: Set<String> = [], faintBelow = 0.0
        var lineNo = 0
        for raw in tsv.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            if raw.isEmpty || raw.hasPrefix("#") { continue }
            let f = raw.split(separator: "\t", omittingEmptySubsequences: false)
            func numbers(_ s: ArraySlice<Substring>) throws -> [Double] {
                try s.map {
                    guard let v = Double($0), v.isFinite else { throw Problem(line: lineNo, message: "'\($0)' is not a number") }
                    return v
                }
            }
            switch f[0] {
            case "@classes":
                guard f.dropFirst().map(String.init) == Self.classes.map(\.rawValue) else {
                    throw Problem(line: lineNo, message: "classes must be transfer, safety, none in that order")
                }
                sawClasses = true
            case "@intercept":
                guard f.count == 4 else { throw Problem(line: lineNo, message: "intercept needs 3 numbers") }
                intercept = try numbers(f[1...])
            case "@faint":
                guard f.count == 3, let below = Double(f[1]), (0...1).contains(below) else {
                    throw Problem(line: lineNo, message: "faint needs a confidence 0 to 1 and a comma-separated word list")
                }
                faintBelow = below
                faintWords = Set(f[2].split(separator: ",").map { String($0) })
                guard !faintWords.isEmpty, faintWords.allSatisfy({ Self.tokens($0) == [$0] }) else {
                    throw Problem(line: lineNo, message: "faint words must be lower-case single words")
                }
            case "@check":
                guard f.count == 5 else { throw Problem(line: lineNo, message: "check needs a text and 3 probabilities") }
                let p = try numbers(f[2...])
                checks.append((String(f[1]), Probabilities(transfer: p[0], safety: p[1], none: p[2])))
            default:
                guard f.count == 5 else { throw Problem(line: lineNo, message: "an n-gram line needs the n-gram, its IDF and 3 weights") }
                guard !f[0].contains("@") else { throw Problem(line: lineNo, message: "unknown line '\(f[0])'") }
                guard index[String(f[0])] == nil else { throw Problem(line: lineNo, message: "'\(f[0])' appears twice") }
                index[String(f[0])] = Int32(table.count / 4)
                table += try numbers(f[1...])
            }
        }
        guard sawClasses, let intercept else { throw Problem(line: lineNo, message: "no classes or intercept line") }
        guard !index.isEmpty else { throw Problem(line: lineNo, message: "no n-grams") }
        var names = [String](repeating: "", count: index.count)
        for (gram, i) in index { names[Int(i)] = gram }
        self.names = names
        self.index = index
        self.table = table
        self.intercept = intercept
        self.checks = checks
        self.faintWords = faintWords
        self.faintBelow = faintBelow
    }

    /// The text the classifier reads for a final hypothesis's words: a faint word marked.
    public func text(_ words: [RecognizedWord]) -> String {
        guard !faintWords.isEmpty else { return words.map(\.text).joined(separator: " ") }
        return words.map { w in
            guard let c = w.confidence, c < faintBelow, faintWords.contains(w.text.lowercased()) else { return w.text }
            return w.text.lowercased() + Self.faintMark
        }.joined(separator: " ")
    }

    /// The tokens of `text`: runs of a-z and the apostrophe, lower-cased.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        for s in text.lowercased().unicodeScalars {
            let c = s == "\u{2019}" ? "'" : s
            if ("a"..."z").contains(c) || c == "'" {
                current.append(c)
            } else if !current.isEmpty {
                out.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { out.append(String(current)) }
        return out
    }

    /// Adds the model's n-grams that end at each of `tokens[from...]` to `counts`.
    func count(_ tokens: [String], from: Int, into counts: inout [Int32: Int]) {
        guard from < tokens.count else { return }
        for end in max(from, 0)..<tokens.count {
            var gram = tokens[end]
            if let i = index[gram] { counts[i, default: 0] += 1 }
            for n in 2...3 where end - n + 1 >= 0 {
                gram = tokens[end - n + 1] + " " + gram
                if let i = index[gram] { counts[i, default: 0] += 1 }
            }
        }
    }

    /// The feature vector of `counts`: (1 + ln tf) * idf, L2-normalised.
    func features(_ counts: [Int32: Int]) -> [(Int, Double)] {
        var x: [(Int, Double)] = []
        x.reserveCapacity(counts.count)
        var norm = 0.0
        // In index order: a dictionary's order changes from run to run, and the sums
        // must not (the same call gives the same probabilities to the last bit).
        for (i, c) in counts.sorted(by: { $0.key < $1.key }) where c > 0 {
            let v = (1 + log(Double(c))) * table[Int(i) * 4]
            x.append((Int(i), v))
            norm += v * v
        }
        guard norm > 0 else { return [] }
        let scale = 1 / norm.squareRoot()
        return x.map { ($0.0, $0.1 * scale) }
    }

    func probabilities(_ x: [(Int, Double)]) -> Probabilities {
        var z = intercept
        for (i, v) in x {
            z[0] += v * table[i * 4 + 1]
            z[1] += v * table[i * 4 + 2]
            z[2] += v * table[i * 4 + 3]
        }
        let m = z.max()!
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return Probabilities(transfer: e[0] / s, safety: e[1] / s, none: e[2] / s)
    }

    /// Probabilities for a whole text.
    public func probabilities(text: String) -> Probabilities {
        var counts: [Int32: Int] = [:]
        count(Self.tokens(text), from: 0, into: &counts)
        return probabilities(features(counts))
    }

    /// The n-grams that pushed most towards `action` against the other suggestions.
    func strongest(_ x: [(Int, Double)], for action: SuggestedAction, count k: Int) -> [String] {
        let c = Self.classes.firstIndex(of: action)! + 1
        let pushes = x.map { (i, v) -> (Int, Double) in
            let others = (1...3).filter { $0 != c }.map { table[i * 4 + $0] }.max()!
            return (i, v * (table[i * 4 + c] - others))
        }.filter { $0.1 > 0 && table[$0.0 * 4] >= Self.evidenceMinIDF && !names[$0.0].contains(Self.faintMark) }
            .sorted { $0.1 > $1.1 }.prefix(k)
        return pushes.map { names[$0.0] }
    }

    /// The words of one call as they arrive: finals are kept, a partial is scored on top.
    public struct Call: Sendable {
        public let classifier: CallClassifier
        private var tokens: [String] = []
        private var counts: [Int32: Int] = [:]
        private var blend: [Call]

        public init(_ classifier: CallClassifier) {
            self.classifier = classifier
            blend = classifier.blend.map { Call($0) }
        }

        /// Adds a final hypothesis's words to the call, faint words marked (see the type).
        public mutating func commit(_ words: [RecognizedWord]) {
            let from = tokens.count
            tokens += CallClassifier.tokens(classifier.text(words))
            classifier.count(tokens, from: from, into: &counts)
            for i in blend.indices { blend[i].commit(words) }
        }

        /// Adds a final hypothesis's text to the call (no confidences: nothing is faint).
        public mutating func commit(_ text: String) {
            let from = tokens.count
            tokens += CallClassifier.tokens(text)
            classifier.count(tokens, from: from, into: &counts)
            for i in blend.indices { blend[i].commit(text) }
        }

        /// The call's probabilities with `partial` (words not yet final) after its finals,
        /// and the n-grams that pushed most towards the most probable suggestion.
        public func assess(partial: String = "", evidence k: Int = 3) -> (Probabilities, [String]) {
            var merged = counts
            let extra = CallClassifier.tokens(partial)
            if !extra.isEmpty {
                let all = Array(tokens.suffix(2)) + extra
                classifier.count(all, from: min(2, tokens.count), into: &merged)
            }
            let x = classifier.features(merged)
            var p = classifier.probabilities(x)
            if !blend.isEmpty {
                let all = [p] + blend.map { $0.assess(partial: partial, evidence: 0).0 }
                let n = Double(all.count)
                p = Probabilities(transfer: all.map(\.transfer).reduce(0, +) / n,
                                  safety: all.map(\.safety).reduce(0, +) / n,
                                  none: all.map(\.none).reduce(0, +) / n)
            }
            return (p, k > 0 ? classifier.strongest(x, for: p.best, count: k) : [])
        }
    }
}
