import Foundation

/// The one suggestion a telecommunicator sees, as a state machine over evidence.
///
/// Contract: `transfer` appears as soon as the crisis evidence reaches the policy's
/// threshold and no exclusion was heard; a safety exclusion together with crisis evidence
/// turns it into `safety` at once; `safety` never goes back, and `transfer` never goes
/// back to `none` (no flicker). Each change of action is returned once, with the reasons
/// behind it and a confidence built from the categories' measured reliability.
public struct SuggestionCard: Sendable {
    public struct Evidence: Equatable, Sendable {
        public var category: String
        public var kind: IntentModelDefinition.Kind
        public var phrase: String
        /// Call time the phrase was said.
        public var t: Double
        public var weight: Double
        /// A firm exclusion: the call classifier never overrules it.
        public var firm: Bool

        public init(category: String, kind: IntentModelDefinition.Kind, phrase: String, t: Double, weight: Double, firm: Bool = false) {
            self.category = category
            self.kind = kind
            self.phrase = phrase
            self.t = t
            self.weight = weight
            self.firm = firm
        }
    }

    public struct Change: Equatable, Sendable {
        public var action: SuggestedAction
        public var reasons: [SuggestionReason]
        public var confidence: Double
        public var details: SuggestionDetails?
    }

    public let model: IntentModel
    let plan: ResourcePlan?
    /// When the call started (wall clock), for shift-dependent resources.
    let callStart: Date
    public private(set) var action: SuggestedAction = .none
    public private(set) var crisis: [Evidence] = []
    public private(set) var safety: [Evidence] = []

    public init(model: IntentModel, callStart: Date) {
        self.model = model
        self.plan = model.definition.resources.flatMap { try? ResourcePlan($0) }
        self.callStart = callStart
    }

    public var crisisWeight: Double { crisis.reduce(0) { $0 + $1.weight } }

    /// Adds evidence; returns the change of suggestion it causes, if any.
    public mutating func handle(_ evidence: Evidence) -> Change? {
        switch evidence.kind {
        case .crisis: crisis.append(evidence)
        case .safety: safety.append(evidence)
        }
        let policy = model.policy
        var next = action
        if !safety.isEmpty && crisisWeight >= policy.safetyCrisisThreshold - 1e-9 {
            next = .safety
        } else if action == .none && safety.isEmpty && crisisWeight >= policy.transferThreshold - 1e-9 {
            next = .transfer
        }
        guard next != action else { return nil }
        action = next
        return change(at: evidence.t)
    }

    func change(at t: Double) -> Change {
        change(showing: action, at: t)
    }

    /// The change to `shown`, the suggestion the call classifier decided on
    /// (`ClassifierPolicy`), with the rules' evidence as its reasons. `classifierWords`
    /// (the n-grams that pushed the classifier most) stand in where the rules heard no
    /// exclusion for a `safety` or no crisis phrase for a `transfer`.
    public func change(showing shown: SuggestedAction, at t: Double, confidence: Double, classifierWords: [String]) -> Change {
        var c = change(showing: shown, at: t)
        c.confidence = confidence
        // Single quotes: the panel and the text output put a reason's phrase in double ones.
        let quoted = classifierWords.map { "'\($0)'" }.joined(separator: ", ")
        let extra = SuggestionReason(category: "classifier", phrase: "the call as a whole\(quoted.isEmpty ? "" : ": " + quoted)", t: t)
        if shown == .safety && safety.isEmpty {
            c.reasons.insert(extra, at: 0)
            c.details?.blocking = ["classifier"]
        } else if shown == .transfer {
            if crisis.isEmpty { c.reasons.insert(extra, at: 0) }
            if !safety.isEmpty {
                // An exclusion the rules heard is overridden, never silently: the card says
                // what was heard and that the call as a whole reads otherwise (also when
                // the rules heard no crisis phrase and the classifier's words lead).
                var named: Set<String> = []
                let heard = safety.filter { named.insert($0.phrase).inserted }.map { "'\($0.phrase)'" }.joined(separator: ", ")
                c.reasons.append(SuggestionReason(
                    category: "classifier", phrase: "heard \(heard), but the call as a whole reads as a transfer\(crisis.isEmpty || quoted.isEmpty ? "" : ": " + quoted)", t: t))
            }
        }
        return c
    }

    func change(showing action: SuggestedAction, at t: Double) -> Change {
        // The services the crisis evidence calls for, in the order they were heard.
        let services = unique(crisis.compactMap { model.category($0.category)?.service })
            .compactMap { model.definition.services[$0] }
        let service = services.isEmpty ? nil : services.joined(separator: ", ")
        switch action {
        case .none:
            return Change(action: .none, reasons: [], confidence: 0, details: nil)
        case .transfer:
            return Change(
                action: .transfer, reasons: crisis.map(reason), confidence: confidence(crisis),
                details: SuggestionDetails(service: service, resource: plan?.transferResource(at: callStart.addingTimeInterval(t))))
        case .safety:
            return Change(
                action: .safety, reasons: (safety + crisis).map(reason), confidence: confidence(safety),
                details: SuggestionDetails(
                    service: service, resource: model.definition.resources?.coResponse, blocking: unique(safety.map(\.category))))
        }
    }

    /// Probability that at least one piece of evidence is right, taking each category's
    /// reliability as independent; weak phrases count in proportion to their weight.
    func confidence(_ evidence: [Evidence]) -> Double {
        var wrong = 1.0
        for e in evidence {
            let r = model.category(e.category)?.reliability ?? 0.8
            wrong *= 1 - r * min(1, e.weight)
        }
        return min(0.999, 1 - wrong)
    }

    func reason(_ e: Evidence) -> SuggestionReason {
        SuggestionReason(category: e.category, phrase: e.phrase, t: e.t)
    }

    private func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
