/// A phrase pattern written by people who know the protocol, compiled into a small
/// nondeterministic automaton over normalised tokens.
///
/// Syntax (whitespace separates items):
/// - `word`: that word, after normalisation (so `kill` also matches "kills", "killed").
/// - `word*`: any word whose stem starts with `word`'s stem (`suicid*`).
/// - `(a b | c)`: one of the alternatives, each a sequence.
/// - `[a b | c]`: optionally one of the alternatives.
/// - `{name}`: one of the words of the word class `name` (defined in the intent model).
/// - `...`: up to three words of anything.
/// Example: `{person} [said {person}] (want|wants) to (kill {reflexive} | end {possessive} life)`.
public struct PhraseTemplate: Equatable, Sendable {
    public let source: String
    let states: [State]
    let start: Int
    /// States from which the phrase can end without consuming another word: a tolerant
    /// match must not skip a light word there (it would end the phrase on a missing word:
    /// "end" alone for "end it").
    let endsHere: [Bool]
    /// What the first word of a match can be: a match can only start at such a token.
    let firstStems: Set<String>
    let firstPrefixes: [String]
    let startsWithAnyWord: Bool

    enum State: Equatable, Sendable {
        /// Consumes one token whose stem is in `stems` or starts with one of `prefixes`;
        /// `light` words (articles, "to", "is") may be skipped at a cost by a tolerant match.
        case word(stems: Set<String>, prefixes: [String], light: Bool, next: Int)
        /// Consumes any one token that is not a clause break.
        case any(next: Int)
        case split(Int, Int)
        case epsilon(Int)
        case accept
    }

    public struct SyntaxError: Error, Equatable, CustomStringConvertible {
        public var template: String
        public var problem: String
        public var description: String { "phrase \"\(template)\": \(problem)" }

        public init(template: String, problem: String) {
            self.template = template
            self.problem = problem
        }
    }

    /// Compiles `source`, resolving `{name}` through `classes` (word lists). With
    /// `skippablePeople`, a tolerant match may also skip a "her" that stands for a person
    /// (see `Parser.weighed`): the model asks this of its safety exclusions only, where a
    /// pronoun the recogniser dropped ("he pushed [her] down the stairs") must still count.
    public init(_ source: String, classes: [String: [String]] = [:], skippablePeople: Bool = false) throws {
        var parser = Parser(source: source, classes: classes, skippablePeople: skippablePeople)
        let node = try parser.parseAll()
        var builder = Builder()
        let accept = builder.add(.accept)
        start = builder.compile(node, next: accept)
        states = builder.states
        self.source = source
        endsHere = Self.nullable(states)
        var stems: Set<String> = []
        var prefixes: [String] = []
        var any = false
        var seen: Set<Int> = []
        var work = [start]
        while let i = work.popLast() {
            guard seen.insert(i).inserted else { continue }
            switch states[i] {
            case .word(let s, let p, _, _):
                stems.formUnion(s)
                prefixes += p
            case .any: any = true
            case .split(let a, let b): work += [a, b]
            case .epsilon(let n): work.append(n)
            case .accept: break
            }
        }
        firstStems = stems
        firstPrefixes = prefixes
        startsWithAnyWord = any
    }

    /// Whether a match may start at `token`.
    func canStart(at token: TokenNormalizer.Token) -> Bool {
        !token.isBreak && (startsWithAnyWord || firstStems.contains(token.stem) || firstPrefixes.contains { token.stem.hasPrefix($0) })
    }

    /// For each state, whether `accept` is reachable through epsilon moves alone.
    static func nullable(_ states: [State]) -> [Bool] {
        var memo = [Bool?](repeating: nil, count: states.count)
        func visit(_ i: Int, _ depth: Int) -> Bool {
            if let known = memo[i] { return known }
            guard depth < 10_000 else { return false }
            let result: Bool
            switch states[i] {
            case .accept: result = true
            case .split(let a, let b): result = visit(a, depth + 1) || visit(b, depth + 1)
            case .epsilon(let n): result = visit(n, depth + 1)
            case .word, .any: result = false
            }
            memo[i] = result
            return result
        }
        return states.indices.map { visit($0, 0) }
    }

    // MARK: Parsing

    indirect enum Node: Equatable {
        case word(stems: Set<String>, prefixes: [String], light: Bool)
        case any
        case sequence([Node])
        case choice([Node], optional: Bool)
        case gap(Int)
    }

    struct Parser {
        let source: String
        let classes: [String: [String]]
        var items: [String] = []
        var position = 0

        let skippablePeople: Bool

        init(source: String, classes: [String: [String]], skippablePeople: Bool = false) {
            self.source = source
            self.classes = classes
            self.skippablePeople = skippablePeople
            var current = ""
            for ch in source {
                if "()[]|{}".contains(ch) {
                    if !current.isEmpty { items.append(current) }
                    items.append(String(ch))
                    current = ""
                } else if ch.isWhitespace {
                    if !current.isEmpty { items.append(current) }
                    current = ""
                } else {
                    current.append(ch)
                }
            }
            if !current.isEmpty { items.append(current) }
        }

        func fail(_ problem: String) -> SyntaxError { SyntaxError(template: source, problem: problem) }

        mutating func parseAll() throws -> Node {
            let node = try parseChoice(closing: nil)
            if position < items.count { throw fail("unexpected '\(items[position])'") }
            if case .sequence(let s) = node, s.isEmpty { throw fail("empty phrase") }
            return node
        }

        /// Alternatives separated by `|` up to `closing`.
        mutating func parseChoice(closing: String?) throws -> Node {
            var alternatives: [Node] = []
            var sequence: [Node] = []
            while position < items.count {
                let item = items[position]
                if item == closing { break }
                position += 1
                switch item {
                case "|":
                    alternatives.append(.sequence(sequence))
                    sequence = []
                case "(", "[":
                    let close = item == "(" ? ")" : "]"
                    let inner = try parseChoice(closing: close)
                    guard position < items.count, items[position] == close else { throw fail("missing '\(close)'") }
                    position += 1
                    let options: [Node]
                    if case .choice(let alts, _) = inner { options = alts } else { options = [inner] }
                    if options.contains(where: { if case .sequence(let s) = $0 { s.isEmpty } else { false } }) {
                        throw fail("empty alternative in '\(item)...\(close)'")
                    }
                    sequence.append(.choice(Self.anchored(skippablePeople ? options : Self.weighed(options)), optional: item == "["))
                case "{":
                    guard position + 1 < items.count, items[position + 1] == "}" else { throw fail("'{' must enclose one class name") }
                    let name = items[position]
                    position += 2
                    guard let words = classes[name], !words.isEmpty else { throw fail("unknown word class {\(name)}") }
                    let members = try words.map { try Self.phrase($0, template: source) }
                    sequence.append(.choice(Self.anchored(skippablePeople ? members : Self.weighed(members)), optional: false))
                case ")", "]", "}":
                    throw fail("unbalanced '\(item)'")
                case "...":
                    sequence.append(.gap(3))
                default:
                    sequence.append(try Self.word(item, template: source))
                }
            }
            alternatives.append(.sequence(sequence))
            return alternatives.count == 1 ? alternatives[0] : .choice(alternatives, optional: false)
        }

        /// "her" is light as a determiner ("cut (his|her) wrist") but not as the person a
        /// phrase is about: in "(him|her|me)" or {person}, skipping it let "knocked over
        /// the coffee machine" read as "knocked her over". A slot that offers another
        /// object pronoun is never skipped.
        static func weighed(_ options: [Node]) -> [Node] {
            func stems(_ n: Node) -> Set<String>? {
                switch n {
                case .word(let stems, _, _): return stems
                case .sequence(let s) where s.count == 1: return stems(s[0])
                default: return nil
                }
            }
            guard options.contains(where: { !(stems($0) ?? []).isDisjoint(with: objectPronouns) }) else { return options }
            func heavy(_ n: Node) -> Node {
                switch n {
                case .word(let stems, let prefixes, _): return .word(stems: stems, prefixes: prefixes, light: false)
                case .sequence(let s) where s.count == 1: return .sequence([heavy(s[0])])
                default: return n
                }
            }
            return options.map(heavy)
        }

        static let objectPronouns: Set<String> = ["him", "me", "them", "us"]

        /// A light preposition offered beside a content word is not skipped: in "(car|truck)
        /// (running|on) in the garage", skipping "on" let "the truck is in the garage" read
        /// as a car left running. The slot then says what happens, and a missing word there
        /// is a missing predicate. Determiners stay skippable beside nouns ("trying
        /// (the|our|car) doors" still matches "trying doors"), and so do prepositions in a
        /// slot of function words alone ("(in|inside)", "(on|out on|onto)").
        static func anchored(_ options: [Node]) -> [Node] {
            func content(_ n: Node) -> Bool {
                switch n {
                case .word(let stems, let prefixes, _): return !prefixes.isEmpty || !stems.isSubset(of: functionStems)
                case .sequence(let s): return s.contains(where: content)
                case .choice(let alts, _): return alts.contains(where: content)
                case .any, .gap: return false
                }
            }
            guard options.contains(where: content) else { return options }
            func anchor(_ n: Node) -> Node {
                switch n {
                case .word(let stems, let prefixes, true) where !stems.isDisjoint(with: lightPrepositions):
                    return .word(stems: stems, prefixes: prefixes, light: false)
                case .sequence(let s) where s.count == 1: return .sequence([anchor(s[0])])
                default: return n
                }
            }
            return options.map(anchor)
        }

        static let lightPrepositions: Set<String> = ["to", "of", "at", "in", "on"]

        /// Determiners, pronouns, prepositions and particles: a slot of these alone keeps
        /// its light words skippable.
        static let functionStems: Set<String> = Set([
            "a", "an", "the", "to", "of", "his", "her", "my", "at", "in", "on", "it", "that",
            "this", "these", "those", "their", "our", "your", "its", "some", "any", "all", "every",
            "each", "one", "another", "into", "inside", "onto", "out", "up", "down", "over", "off",
            "with", "for", "from", "by", "about", "like", "through", "under", "behind", "across",
            "around", "near", "toward", "towards", "since", "away", "back", "and", "or", "as", "so",
            "i", "you", "he", "she", "we", "they", "him", "me", "them", "us", "who", "which", "if",
            "whether", "there", "here", "just", "only", "still", "else", "outside", "between", "before", "after",
        ].flatMap { TokenNormalizer.stems($0) })

        /// A class member: a word or a few words ("no one").
        static func phrase(_ text: String, template: String) throws -> Node {
            let words = text.split(separator: " ").map(String.init)
            if words.count == 1 { return try word(words[0], template: template) }
            return .sequence(try words.map { try word($0, template: template) })
        }

        static func word(_ item: String, template: String) throws -> Node {
            let isPrefix = item.hasSuffix("*")
            let text = isPrefix ? String(item.dropLast()) : item
            let stems = TokenNormalizer.stems(text)
            guard !stems.isEmpty else { throw SyntaxError(template: template, problem: "'\(item)' is not a word") }
            if stems.count > 1 {
                // A contraction in a template ("doesn't") stands for its expansion.
                return .sequence(stems.map { .word(stems: [$0], prefixes: [], light: PhraseTemplate.lightWords.contains($0)) })
            }
            if isPrefix { return .word(stems: [], prefixes: [stems[0]], light: false) }
            return .word(stems: [stems[0]], prefixes: [], light: PhraseTemplate.lightWords.contains(stems[0]))
        }
    }

    /// Short function words a recogniser often drops or garbles; a tolerant match may
    /// skip one of them in a template.
    /// Verbs are not among them: "is he hurt" and "he is hurt" differ by one.
    static let lightWords: Set<String> = ["a", "an", "the", "to", "of", "his", "her", "my", "at", "in", "on", "it", "that"]

    // MARK: Compilation (Thompson construction)

    struct Builder {
        var states: [State] = []

        mutating func add(_ s: State) -> Int {
            states.append(s)
            return states.count - 1
        }

        /// Compiles `node` so that it continues to `next`; returns its entry state.
        mutating func compile(_ node: Node, next: Int) -> Int {
            switch node {
            case .word(let stems, let prefixes, let light):
                return add(.word(stems: stems, prefixes: prefixes, light: light, next: next))
            case .any:
                return add(.any(next: next))
            case .sequence(let nodes):
                var entry = next
                for n in nodes.reversed() { entry = compile(n, next: entry) }
                return entry
            case .choice(let options, let optional):
                var entries = options.map { compile($0, next: next) }
                if optional { entries.append(next) }
                var entry = entries.removeLast()
                for e in entries.reversed() { entry = add(.split(e, entry)) }
                return entry
            case .gap(let n):
                var entry = next
                for _ in 0..<n {
                    let any = add(.any(next: entry))
                    entry = add(.split(any, entry))
                }
                return entry
            }
        }
    }
}
