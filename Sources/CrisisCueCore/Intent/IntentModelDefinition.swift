/// The intent model as a center writes it (`models/intents.yaml`): categories and their
/// phrases, negation, call-taker questions, the decision policy and the center's
/// resources. Decoded from YAML by the app; compiled into an `IntentModel` here.
public struct IntentModelDefinition: Codable, Equatable, Sendable {
    public var version: Int
    /// Word classes usable in phrases as `{name}`; members may be several words.
    public var classes: [String: [String]]
    public var categories: [Category]
    /// Everyday phrases that contain an indicator's words but mean something else
    /// ("my phone is about to die", "flu shot"); an indicator overlapping one is dropped.
    public var confusers: [String]?
    public var negation: Negation
    public var questions: Questions
    public var policy: Policy
    public var services: [String: String]
    public var resources: Resources?
    /// The call classifier and how its probabilities become the suggestion; absent, the
    /// phrase rules alone decide.
    public var classifier: ClassifierPolicy?

    public init(
        version: Int, classes: [String: [String]], categories: [Category], confusers: [String]? = nil,
        negation: Negation, questions: Questions, policy: Policy, services: [String: String], resources: Resources? = nil
    ) {
        self.version = version
        self.classes = classes
        self.categories = categories
        self.confusers = confusers
        self.negation = negation
        self.questions = questions
        self.policy = policy
        self.services = services
        self.resources = resources
    }

    public enum Kind: String, Codable, Equatable, Sendable {
        case crisis, safety
    }

    public struct Category: Codable, Equatable, Sendable {
        public var id: String
        public var kind: Kind
        /// How a person reads it ("suicidal ideation", "weapon").
        public var label: String?
        /// Key into `services` (crisis categories only).
        public var service: String?
        /// Measured share of this category's firings that were right (tuning split);
        /// the suggestion's confidence is built from it.
        public var reliability: Double?
        /// A crisis category that this one's evidence also stands for (a suicide
        /// attempt is suicidal ideation too).
        public var implies: String?
        public var phrases: [Phrase]

        public init(
            id: String, kind: Kind, label: String? = nil, service: String? = nil, reliability: Double? = nil,
            implies: String? = nil, phrases: [Phrase]
        ) {
            self.id = id
            self.kind = kind
            self.label = label
            self.service = service
            self.reliability = reliability
            self.implies = implies
            self.phrases = phrases
        }
    }

    /// A template, with a weight: 1 is enough on its own for a transfer; weaker phrases
    /// need company.
    public struct Phrase: Codable, Equatable, Sendable {
        public var text: String
        public var weight: Double
        /// Safety phrases only: an exclusion the call classifier never overrules, however
        /// sure it is that the call is a transfer ("I can't wake him up": a person nobody
        /// can wake is an emergency whatever else the call is about).
        public var firm: Bool

        public init(text: String, weight: Double = 1, firm: Bool = false) {
            self.text = text
            self.weight = weight
            self.firm = firm
        }

        enum CodingKeys: String, CodingKey { case text, weight, firm }

        public init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
                self.init(text: text)
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                text: try c.decode(String.self, forKey: .text), weight: try c.decodeIfPresent(Double.self, forKey: .weight) ?? 1,
                firm: try c.decodeIfPresent(Bool.self, forKey: .firm) ?? false)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(text, forKey: .text)
            try c.encode(weight, forKey: .weight)
            if firm { try c.encode(firm, forKey: .firm) }
        }
    }

    public struct Negation: Codable, Equatable, Sendable {
        /// Cues that negate an indicator starting within `before_scope` words after them
        /// ("no weapons", "nobody is hurt", "he doesn't have a gun").
        public var before: [String]
        public var beforeScope: Int
        /// Cues that negate an indicator ending within `after_scope` words before them
        /// ("he had a gun years ago", "he sold it").
        public var after: [String]
        public var afterScope: Int
        /// Cues that undo an indicator even from the next clause of the same sentence
        /// ("he had a gun, but he sold it"), within `after_across_scope` words.
        public var afterAcross: [String]?
        public var afterAcrossScope: Int?
        /// `after_across` cues that undo a safety exclusion only: a state that ends an
        /// emergency says nothing of a crisis ("she passed out, but she's awake and talking
        /// now" undoes the faint; "she's wasted, awake and talking nonsense" keeps the drink).
        public var afterAcrossSafety: [String]?
        /// Cues before an indicator that keep it present whatever past time `after` names:
        /// a weapon bought, brought or kept ("he bought a gun last month") is still there.
        public var keptBefore: [String]?
        /// A thing handed on or taken elsewhere, said around the indicator ("I gave my old
        /// revolver to my son when I retired": `{before: "gave", after: "to my
        /// {relative}"}`): `before` within `before_scope` words before the indicator and
        /// `after` within `after_across_scope` words after it, in the same sentence.
        /// Neither half alone says anything ("his buddy gave him a gun", "he held the
        /// knife to my throat").
        public var given: [Around]?
        /// Cues that undo an indicator said earlier in the same turn, even in an earlier
        /// sentence, within `after_turn_scope` words ("He had rifles. His dad took them
        /// home. There's nothing like that here.").
        public var afterTurn: [String]?
        public var afterTurnScope: Int?
        /// Cues that make what follows in their sentence a hypothetical, within
        /// `hypothetical_scope` words and across clause words ("what if my ex shows up
        /// and starts yelling", "is it bad if somebody's lips turn blue").
        public var hypothetical: [String]?
        public var hypotheticalScope: Int?
        /// Words where a clause ends: negation does not reach across them.
        public var clauseBreaks: [String]

        public init(
            before: [String], beforeScope: Int, after: [String], afterScope: Int, afterAcross: [String]? = nil,
            afterAcrossScope: Int? = nil, clauseBreaks: [String]
        ) {
            self.before = before
            self.beforeScope = beforeScope
            self.after = after
            self.afterScope = afterScope
            self.afterAcross = afterAcross
            self.afterAcrossScope = afterAcrossScope
            self.clauseBreaks = clauseBreaks
        }

        enum CodingKeys: String, CodingKey {
            case before, after
            case beforeScope = "before_scope"
            case afterScope = "after_scope"
            case afterAcross = "after_across"
            case afterAcrossScope = "after_across_scope"
            case afterAcrossSafety = "after_across_safety"
            case keptBefore = "kept_before"
            case given
            case afterTurn = "after_turn"
            case afterTurnScope = "after_turn_scope"
            case hypothetical
            case hypotheticalScope = "hypothetical_scope"
            case clauseBreaks = "clause_breaks"
        }
    }

    /// Two cues said on either side of an indicator.
    public struct Around: Codable, Equatable, Sendable {
        public var before: String
        public var after: String
        public init(before: String, after: String) {
            self.before = before
            self.after = after
        }
    }

    public struct Questions: Codable, Equatable, Sendable {
        /// How a call-taker's question or instruction starts ("does he have", "is anyone").
        /// Indicators inside one are the call-taker's words, not evidence.
        public var openers: [String]
        /// Words that may come before an opener ("okay, does he...").
        public var leadIns: [String]
        /// The question reaches to the next of these (or `scope` words).
        public var scopeBreaks: [String]
        public var scope: Int
        /// A caller's reply that confirms the question just asked ("yes", "he does").
        public var affirmatives: [String]
        /// Words only the call-taker says, wherever they stand in the sentence ("hurt
        /// you", "threatened you"): an indicator starting inside one is the call-taker's
        /// question even when the recogniser lost the question's opening words.
        public var takerPhrases: [String]?

        public init(
            openers: [String], leadIns: [String], scopeBreaks: [String], scope: Int, affirmatives: [String],
            takerPhrases: [String]? = nil
        ) {
            self.openers = openers
            self.leadIns = leadIns
            self.scopeBreaks = scopeBreaks
            self.scope = scope
            self.affirmatives = affirmatives
            self.takerPhrases = takerPhrases
        }

        enum CodingKeys: String, CodingKey {
            case openers, scope, affirmatives
            case leadIns = "lead_ins"
            case scopeBreaks = "scope_breaks"
            case takerPhrases = "taker_phrases"
        }
    }

    public struct Policy: Codable, Equatable, Sendable {
        /// Crisis weight needed for `transfer`.
        public var transferThreshold: Double
        /// Crisis weight needed, together with an exclusion, for `safety`.
        public var safetyCrisisThreshold: Double
        /// Recognition tolerance: words inserted into a phrase or light words missing.
        public var maxEdits: Int
        /// Consecutive partial hypotheses that must show an indicator before it counts
        /// (a final hypothesis always counts).
        public var stablePartials: Int
        /// Words a partial hypothesis must hold after a phrase before it counts.
        public var partialLookahead: Int
        /// Exclusions heard as fewer words than this count from final hypotheses only (a
        /// lone "knife" or "shot" in a partial is the commonest false alarm, and the final
        /// usually revises it away); default 1, no restriction.
        public var partialSafetyMinWords: Int?
        /// A one-word exclusion of at least this many letters ("revolver", "bleeding") is
        /// not short in the sense of `partialSafetyMinWords`: long words are seldom
        /// invented by the recognizer the way "knife" and "shot" are. Absent: words only.
        public var partialSafetyMinLetters: Int?
        /// A short exclusion (see `partialSafetyMinWords`) counts from a partial after all
        /// once this many words follow it there: the decoder has moved well past it, and
        /// waiting for the final costs as long as the rest of the sentence. Absent: finals
        /// only.
        public var partialSafetyLookahead: Int?
        /// Seconds of audio after a phrase with no word in them that stand in for
        /// `partialLookahead`'s words: a phrase that ends a sentence, followed by a pause,
        /// counts from the partial instead of waiting for the final (which comes only
        /// after the voice-activity detector's hangover). Absent: words only.
        public var partialPauseLookahead: Double?
        /// A phrase of at least this many words settles on partials without
        /// `partialLookahead`'s words after it (seen in `stablePartials` partials in a row
        /// is enough): a long phrase is seldom what the recogniser revises at the end of a
        /// partial. Absent: every phrase needs the words after it.
        public var partialLongPhraseWords: Int?
        /// Whether a reply confirming the call-taker's question ("yes, he does") must be
        /// in a final hypothesis (a partial's first word is often a misheard "no").
        public var repliesOnFinals: Bool?

        public init(transferThreshold: Double, safetyCrisisThreshold: Double, maxEdits: Int, stablePartials: Int, partialLookahead: Int) {
            self.transferThreshold = transferThreshold
            self.safetyCrisisThreshold = safetyCrisisThreshold
            self.maxEdits = maxEdits
            self.stablePartials = stablePartials
            self.partialLookahead = partialLookahead
        }

        enum CodingKeys: String, CodingKey {
            case partialLookahead = "partial_lookahead"
            case transferThreshold = "transfer_threshold"
            case safetyCrisisThreshold = "safety_crisis_threshold"
            case maxEdits = "max_edits"
            case stablePartials = "stable_partials"
            case partialSafetyMinWords = "partial_safety_min_words"
            case partialSafetyMinLetters = "partial_safety_min_letters"
            case partialSafetyLookahead = "partial_safety_lookahead"
            case partialPauseLookahead = "partial_pause_lookahead"
            case partialLongPhraseWords = "partial_long_phrase_words"
            case repliesOnFinals = "replies_on_finals"
        }
    }

    /// Who takes a transferred call, and when.
    public struct Resources: Codable, Equatable, Sendable {
        /// IANA time zone of the center ("America/Chicago").
        public var timeZone: String
        public var onSite: OnSite?
        /// Where a transfer goes outside the on-site hours (mobile crisis team, 988).
        public var outsideHours: String?
        /// What a `safety` call with crisis indicators gets, where the center has it.
        public var coResponse: String?

        public init(timeZone: String, onSite: OnSite?, outsideHours: String?, coResponse: String?) {
            self.timeZone = timeZone
            self.onSite = onSite
            self.outsideHours = outsideHours
            self.coResponse = coResponse
        }

        public struct OnSite: Codable, Equatable, Sendable {
            public var name: String
            public var hours: [Shift]

            public init(name: String, hours: [Shift]) {
                self.name = name
                self.hours = hours
            }
        }

        /// Days (`mon`..`sun`) and local times `HH:MM`.
        public struct Shift: Codable, Equatable, Sendable {
            public var days: [String]
            public var from: String
            public var to: String

            public init(days: [String], from: String, to: String) {
                self.days = days
                self.from = from
                self.to = to
            }
        }

        enum CodingKeys: String, CodingKey {
            case timeZone = "time_zone"
            case onSite = "on_site"
            case outsideHours = "outside_hours"
            case coResponse = "co_response"
        }
    }
}
