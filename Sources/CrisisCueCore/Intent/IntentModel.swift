/// The compiled intent model: every phrase turned into an automaton, ready to match.
/// Built once per process from an `IntentModelDefinition`; immutable and shareable.
public struct IntentModel: Sendable {
    public struct Category: Sendable {
        public var id: String
        public var kind: IntentModelDefinition.Kind
        public var label: String
        public var service: String?
        public var reliability: Double
        public var implies: String?
        /// Each phrase compiled, with its weight and whether the call classifier may
        /// overrule it (`firm`: never).
        public var phrases: [(template: PhraseTemplate, weight: Double, firm: Bool)]
    }

    public let definition: IntentModelDefinition
    /// The call classifier `definition.classifier` names, loaded by whoever read the
    /// model file; nil: the phrase rules alone decide.
    public var classifier: CallClassifier?
    public let categories: [Category]
    let confusers: [PhraseTemplate]
    let negationBefore: [PhraseTemplate]
    let negationAfter: [PhraseTemplate]
    let negationAfterAcross: [PhraseTemplate]
    let negationAfterAcrossSafety: [PhraseTemplate]
    /// `negation.given`: each entry's halves, before and after the indicator.
    let negationGiven: [(before: PhraseTemplate, after: PhraseTemplate)]
    let negationAfterTurn: [PhraseTemplate]
    let negationHypothetical: [PhraseTemplate]
    let negationKeptBefore: [PhraseTemplate]
    let clauseBreaks: Set<String>
    let questionOpeners: [PhraseTemplate]
    let questionLeadIns: Set<String>
    let questionScopeBreaks: Set<String>
    let affirmatives: [PhraseTemplate]
    let takerPhrases: [PhraseTemplate]
    public var policy: IntentModelDefinition.Policy { definition.policy }

    /// A problem in the model's content, named by where it is (`categories[3].phrases[2]`).
    public struct Problem: Error, Equatable, CustomStringConvertible {
        /// Keys and list indices from the top of the file.
        public var path: [Location]
        public var message: String

        public enum Location: Equatable, Sendable {
            case key(String)
            case index(Int)
        }

        public init(_ path: [Location], _ message: String) {
            self.path = path
            self.message = message
        }

        public var pathText: String {
            path.map { if case .key(let k) = $0 { "." + k } else if case .index(let i) = $0 { "[\(i)]" } else { "" } }
                .joined().drop { $0 == "." }.description
        }

        public var description: String { "\(pathText): \(message)" }
    }

    public init(_ definition: IntentModelDefinition) throws {
        self.definition = definition
        let classes = Self.expanded(definition.classes)
        func compile(_ text: String, _ path: [Problem.Location], skippablePeople: Bool = false) throws -> PhraseTemplate {
            do { return try PhraseTemplate(text, classes: classes, skippablePeople: skippablePeople) } catch let e as PhraseTemplate.SyntaxError {
                throw Problem(path, e.description)
            }
        }
        func list(_ key: String, _ sub: String, _ items: [String]) throws -> [PhraseTemplate] {
            try items.enumerated().map { try compile($1, [.key(key), .key(sub), .index($0)]) }
        }
        func stems(_ words: [String]) -> Set<String> {
            Set(words.flatMap { TokenNormalizer.stems($0) }).union([TokenNormalizer.breakStem])
        }
        func stemsWithCommas(_ words: [String]) -> Set<String> { stems(words).union([TokenNormalizer.commaStem]) }
        guard definition.version == 1 else {
            throw Problem([.key("version")], "this CrisisCue reads intent model version 1, not \(definition.version)")
        }
        var seen: Set<String> = []
        var categories: [Category] = []
        for (i, c) in definition.categories.enumerated() {
            let path: [Problem.Location] = [.key("categories"), .index(i)]
            guard seen.insert(c.id).inserted else { throw Problem(path + [.key("id")], "duplicate category id '\(c.id)'") }
            guard !c.phrases.isEmpty else { throw Problem(path + [.key("phrases")], "category '\(c.id)' has no phrases") }
            if c.kind == .crisis, let service = c.service, definition.services[service] == nil {
                throw Problem(path + [.key("service")], "unknown service '\(service)' (not in services)")
            }
            if let r = c.reliability, !(0...1).contains(r) {
                throw Problem(path + [.key("reliability")], "must be between 0 and 1")
            }
            var phrases: [(PhraseTemplate, Double, Bool)] = []
            for (j, p) in c.phrases.enumerated() {
                let at = path + [.key("phrases"), .index(j)]
                guard p.weight > 0 && p.weight <= 10 else { throw Problem(at, "weight must be above 0 and at most 10") }
                guard !p.firm || c.kind == .safety else {
                    throw Problem(at + [.key("firm")], "only a safety category's phrase can be firm (never overruled by the classifier)")
                }
                // An exclusion's person slot tolerates a dropped pronoun: when in doubt, escalate.
                phrases.append((try compile(p.text, at, skippablePeople: c.kind == .safety), p.weight, p.firm))
            }
            categories.append(Category(
                id: c.id, kind: c.kind, label: c.label ?? c.id.replacingOccurrences(of: "_", with: " "),
                service: c.service, reliability: c.reliability ?? 0.8, implies: c.implies, phrases: phrases))
        }
        for (i, c) in categories.enumerated() {
            if let implied = c.implies, categories.first(where: { $0.id == implied })?.kind != .crisis {
                throw Problem([.key("categories"), .index(i), .key("implies")], "'\(implied)' is not a crisis category")
            }
        }
        guard categories.contains(where: { $0.kind == .crisis }) else {
            throw Problem([.key("categories")], "no crisis category")
        }
        let p = definition.policy
        guard p.transferThreshold > 0, p.safetyCrisisThreshold > 0, (0...3).contains(p.maxEdits), (1...5).contains(p.stablePartials),
            (1...5).contains(p.partialSafetyMinWords ?? 1), (0...20).contains(p.partialSafetyLookahead ?? 0), (3...20).contains(p.partialSafetyMinLetters ?? 3),
            (0.05...2).contains(p.partialPauseLookahead ?? 1), (2...10).contains(p.partialLongPhraseWords ?? 2) else {
            throw Problem([.key("policy")], "thresholds must be positive, max_edits 0-3, stable_partials 1-5, partial_safety_min_words 1-5, partial_safety_lookahead 0-20, partial_safety_min_letters 3-20, partial_pause_lookahead 0.05-2 seconds, partial_long_phrase_words 2-10")
        }
        self.categories = categories
        confusers = try (definition.confusers ?? []).enumerated().map { try compile($1, [.key("confusers"), .index($0)]) }
        negationBefore = try list("negation", "before", definition.negation.before)
        negationAfter = try list("negation", "after", definition.negation.after)
        negationAfterAcross = try list("negation", "after_across", definition.negation.afterAcross ?? [])
        negationAfterAcrossSafety = try list("negation", "after_across_safety", definition.negation.afterAcrossSafety ?? [])
        negationKeptBefore = try list("negation", "kept_before", definition.negation.keptBefore ?? [])
        negationGiven = try (definition.negation.given ?? []).enumerated().map { index, entry in
            let path: [Problem.Location] = [.key("negation"), .key("given"), .index(index)]
            return (try compile(entry.before, path + [.key("before")]), try compile(entry.after, path + [.key("after")]))
        }
        negationAfterTurn = try list("negation", "after_turn", definition.negation.afterTurn ?? [])
        guard (1...60).contains(definition.negation.afterTurnScope ?? 16) else {
            throw Problem([.key("negation"), .key("after_turn_scope")], "must be 1-60 words")
        }
        negationHypothetical = try list("negation", "hypothetical", definition.negation.hypothetical ?? [])
        guard (1...30).contains(definition.negation.hypotheticalScope ?? 10) else {
            throw Problem([.key("negation"), .key("hypothetical_scope")], "must be 1-30 words")
        }
        clauseBreaks = stemsWithCommas(definition.negation.clauseBreaks)
        questionOpeners = try list("questions", "openers", definition.questions.openers)
        questionLeadIns = Set(definition.questions.leadIns.flatMap { TokenNormalizer.stems($0) })
        questionScopeBreaks = stems(definition.questions.scopeBreaks)
        affirmatives = try list("questions", "affirmatives", definition.questions.affirmatives)
        takerPhrases = try list("questions", "taker_phrases", definition.questions.takerPhrases ?? [])
        if let r = definition.resources {
            do { _ = try ResourcePlan(r) } catch let e as ResourcePlan.Problem { throw Problem([.key("resources")], e.message) }
        }
        if let c = definition.classifier {
            try Self.check(c, exclusions: Set(categories.filter { $0.kind == .safety }.map(\.id)))
        }
    }

    /// The `classifier:` block's values: a center editing a threshold gets the key named,
    /// not a policy that silently never (or always) vetoes.
    static func check(_ c: ClassifierPolicy, exclusions: Set<String>) throws {
        typealias K = ClassifierPolicy.CodingKeys
        func at(_ k: K) -> [Problem.Location] { [.key("classifier"), .key(k.rawValue)] }
        guard !c.file.isEmpty, c.blend?.contains(where: \.isEmpty) != true else {
            throw Problem([.key("classifier"), .key(c.file.isEmpty ? K.file.rawValue : K.blend.rawValue)], "names an empty file")
        }
        let probabilities: [(K, Double?)] = [
            (.safetyAbove, c.safetyAbove), (.leaveNoneAt, c.leaveNoneAt), (.overrideExclusionAt, c.overrideExclusionAt),
            (.transferWithoutIndicatorAt, c.transferWithoutIndicatorAt), (.liftSafetyBelow, c.liftSafetyBelow),
            (.safetyWithoutExclusionAt, c.safetyWithoutExclusionAt), (.safetyWithoutIndicatorAt, c.safetyWithoutIndicatorAt),
            (.earlyTransferAt, c.earlyTransferAt), (.earlySafetyBelow, c.earlySafetyBelow),
            (.liftExclusionMargin, c.liftExclusionMargin),
        ]
        for (k, v) in probabilities {
            if let v, !(0...1).contains(v) { throw Problem(at(k), "must be a probability, 0 to 1 (is \(v))") }
        }
        for (category, v) in c.overrideExclusionAtByCategory ?? [:] {
            guard exclusions.contains(category) else {
                throw Problem(at(.overrideExclusionAtByCategory), "'\(category)' is not a safety category")
            }
            guard (0...1).contains(v) else { throw Problem(at(.overrideExclusionAtByCategory), "'\(category)' must be a probability, 0 to 1 (is \(v))") }
        }
        if let v = c.liftSafetyAfter, !(0...600).contains(v) { throw Problem(at(.liftSafetyAfter), "must be 0 to 600 seconds (is \(v))") }
    }

    public func category(_ id: String) -> Category? { categories.first { $0.id == id } }

    /// A class member may name another class once: "my {relative}" stands for "my son",
    /// "my cousin", and so on.
    static func expanded(_ classes: [String: [String]]) -> [String: [String]] {
        classes.mapValues { members in
            members.flatMap { member -> [String] in
                guard let open = member.firstIndex(of: "{"), let close = member[open...].firstIndex(of: "}"),
                    let inner = classes[String(member[member.index(after: open)..<close])] else { return [member] }
                return inner.map { String(member[..<open]) + $0 + String(member[member.index(after: close)...]) }
            }
        }
    }
}
