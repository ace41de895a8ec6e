/// How the call classifier's probabilities become the suggestion (`classifier:` in
/// `models/intents.yaml`). The phrase rules keep finding the evidence the card shows; the
/// classifier, reading the whole call so far, decides between the three suggestions.
///
/// Each threshold was chosen by leaving one development set out at a time (dev5 to
/// dev20: the classifier trained on the rest, the rules as they were before each set was
/// tuned on), never on the test split; docs/history.md "Stop 28" has the figures.
public struct ClassifierPolicy: Codable, Equatable, Sendable {
    /// The trainer's file, relative to the intent model's folder.
    public var file: String
    /// More classifier files whose probabilities are averaged with `file`'s.
    public var blend: [String]?
    /// A transfer becomes `safety` when the probability of safety is above this: the
    /// worst error costs far more than a missed transfer.
    public var safetyAbove: Double
    /// The suggestion leaves `none` only once the most probable class reaches this (early
    /// in a call the classifier has little to read).
    public var leaveNoneAt: Double
    /// Past an exclusion the phrase rules found, a transfer needs at least this
    /// probability.
    public var overrideExclusionAt: Double
    /// Per exclusion category, a higher bar than `overrideExclusionAt` past an exclusion of
    /// that category (the highest of the categories heard applies): since stop 38,
    /// weapons 0.85 (docs/history.md "Stop 38").
    public var overrideExclusionAtByCategory: [String: Double]?
    /// A transfer needs a crisis phrase the rules found (the card always shows one).
    public var transferNeedsIndicator: Bool
    /// With `transferNeedsIndicator`, a transfer with no crisis phrase the rules found
    /// still stands when P(transfer) reaches this (the card then names the classifier's
    /// words as its evidence). Absent: never.
    public var transferWithoutIndicatorAt: Double?
    /// Whether partial hypotheses are classified too (otherwise finals only).
    public var onPartials: Bool?
    /// Whether a partial hypothesis that brings a phrase the rules count (an indicator
    /// settled on partials) is classified too, so the card can follow the phrase before
    /// the sentence ends (otherwise the decision waits for the final).
    public var onPartialIndicators: Bool?
    /// Whether a `safety` once shown stays for the rest of the call (otherwise the
    /// classifier may turn it back into `transfer` as more of the call is heard).
    public var safetySticks: Bool?
    /// A `safety` on screen turns back into `transfer` only once the classifier has
    /// decided `transfer` at every reading for at least this many seconds of the call (the
    /// transfer shows at the first reading that long after the first one): a veto is not
    /// lifted on one hypothesis. Absent: at once.
    public var liftSafetyAfter: Double?
    /// Hysteresis: a `safety` on screen turns back into `transfer` only once P(safety) is
    /// at or below this (a transfer still turns into `safety` above `safetyAbove`), so a
    /// probability hovering at `safetyAbove` does not swap the card at every reading.
    /// Absent: `safetyAbove`.
    public var liftSafetyBelow: Double?
    /// Hysteresis on overruling an exclusion the rules heard: while the card shows
    /// `safety`, it turns back into `transfer` past such an exclusion only at
    /// P(transfer) >= the bar (`overrideExclusionAt`, by category) plus this, so a
    /// probability hovering at the bar does not swap the card at every reading. A
    /// transfer on screen still turns into `safety` below the bar itself. Absent: 0.
    public var liftExclusionMargin: Double?
    /// Until the classifier is confident (`leaveNoneAt`), the phrase rules' own verdict
    /// is shown: a short call, or the first sentences of a long one, stated plainly.
    public var rulesUntilConfident: Bool?
    /// A `safety` where the rules heard no exclusion needs at least this probability to
    /// leave `none` (a veto of a transfer already shown needs no more than
    /// `safetyAbove`). Absent: `leaveNoneAt`.
    public var safetyWithoutExclusionAt: Double?
    /// A `safety` where the rules heard no crisis phrase needs at least this probability
    /// to leave `none`: DOMAIN.md's `safety` is a crisis with a danger, and a danger alone
    /// (a seizure, a break-in) is `none`. Absent: `leaveNoneAt`.
    public var safetyWithoutIndicatorAt: Double?
    /// Before the classifier is confident (`leaveNoneAt`), the rules' own transfer is shown
    /// once P(transfer) reaches this and P(safety) is below `earlySafetyBelow` (absent:
    /// `safetyAbove`): sooner transfers, more of them vetoed later. Measured, not set
    /// (docs/history.md "Stop 29").
    public var earlyTransferAt: Double?
    public var earlySafetyBelow: Double?
    /// An exclusion the rules heard shows `safety` at once, before the classifier is
    /// confident. Measured, not set.
    public var ruleSafetyAtOnce: Bool?

    public init(file: String, safetyAbove: Double, leaveNoneAt: Double, overrideExclusionAt: Double, transferNeedsIndicator: Bool, onPartials: Bool? = nil) {
        self.file = file
        self.safetyAbove = safetyAbove
        self.leaveNoneAt = leaveNoneAt
        self.overrideExclusionAt = overrideExclusionAt
        self.transferNeedsIndicator = transferNeedsIndicator
        self.onPartials = onPartials
    }

    enum CodingKeys: String, CodingKey {
        case file
        case blend
        case safetyAbove = "safety_above"
        case leaveNoneAt = "leave_none_at"
        case overrideExclusionAt = "override_exclusion_at"
        case overrideExclusionAtByCategory = "override_exclusion_at_by_category"
        case transferNeedsIndicator = "transfer_needs_indicator"
        case transferWithoutIndicatorAt = "transfer_without_indicator_at"
        case onPartials = "on_partials"
        case onPartialIndicators = "on_partial_indicators"
        case safetySticks = "safety_sticks"
        case liftSafetyAfter = "lift_safety_after"
        case liftSafetyBelow = "lift_safety_below"
        case liftExclusionMargin = "lift_exclusion_margin"
        case rulesUntilConfident = "rules_until_confident"
        case safetyWithoutExclusionAt = "safety_without_exclusion_at"
        case safetyWithoutIndicatorAt = "safety_without_indicator_at"
        case earlyTransferAt = "early_transfer_at"
        case earlySafetyBelow = "early_safety_below"
        case ruleSafetyAtOnce = "rule_safety_at_once"
    }

    /// The suggestion for probabilities `p`, given the one shown (`current`), the phrase
    /// rules' own verdict and whether they have heard a crisis phrase. Never back to
    /// `none` once something was suggested; `transfer` and `safety` may swap as the call
    /// goes on. A firm exclusion the rules heard (`firmExclusionHeard`, a phrase marked
    /// `firm` in the model) is never overruled.
    public func decide(
        _ p: CallClassifier.Probabilities?, current: SuggestedAction, rules: SuggestedAction, crisisHeard: Bool, exclusionHeard: Bool = true,
        exclusionCategories: Set<String> = [], firmExclusionHeard: Bool = false
    ) -> SuggestedAction {
        let overrideAt = firmExclusionHeard
            ? .infinity : exclusionCategories.reduce(overrideExclusionAt) { max($0, overrideExclusionAtByCategory?[$1] ?? $0) }
        let fromRules = current == .none ? rules : rules == .safety ? .safety : current
        guard let p else { return rulesUntilConfident == true ? fromRules : current }
        if current == .none && max(p.transfer, p.safety, p.none) < leaveNoneAt {
            // Early in a call the classifier has little to read.
            // The rules' transfer waits while the classifier already sees some danger.
            if ruleSafetyAtOnce == true && rules == .safety && p.transfer < overrideAt { return .safety }
            if let at = earlyTransferAt, rules == .transfer, crisisHeard, p.transfer >= at,
               p.safety < (earlySafetyBelow ?? safetyAbove) { return .transfer }
            guard rulesUntilConfident == true else { return .none }
            return rules == .transfer && p.safety > safetyAbove ? .none : rules
        }
        var a = p.best
        if a == .transfer && p.safety > (current == .safety ? min(liftSafetyBelow ?? safetyAbove, safetyAbove) : safetyAbove) { a = .safety }
        let liftAt = overrideAt + (current == .safety ? liftExclusionMargin ?? 0 : 0)
        if a == .transfer && rules == .safety && p.transfer < liftAt { a = .safety }
        if a == .transfer && transferNeedsIndicator && !crisisHeard && p.transfer < (transferWithoutIndicatorAt ?? 2) { a = .none }
        if current == .safety && safetySticks == true { return .safety }
        if a == .safety && current == .none && !exclusionHeard && p.safety < (safetyWithoutExclusionAt ?? 0) { return .none }
        if a == .safety && current == .none && !crisisHeard && p.safety < (safetyWithoutIndicatorAt ?? 0) { return .none }
        // An exclusion the rules heard never leaves a transfer standing unless the
        // classifier is confident it is one.
        if a == .none && current == .transfer && rules == .safety { return .safety }
        if a == .none { return current }
        return a
    }
}
